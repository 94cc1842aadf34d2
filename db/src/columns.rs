//! Column sets: one per table, a struct of one `Vec` per column, filled row by row and
//! written with one statement of `UNNEST`ed arrays (a batch of any size is one round-trip).
//! `columns!` declares the row type, the column set and the SQL from one list of columns:
//! `name: RustType = "array element type"` with an optional `as "cast"` (the column's own
//! type when the array cannot carry it: `numeric` travels as text, `text[]` as a JSON array,
//! or as one comma-joined text, since Postgres arrays cannot be ragged).
use std::sync::OnceLock;

use sqlx::postgres::PgArguments;
use sqlx::{Arguments as _, PgConnection};

use crate::tables;

/// What `columns!` knows of a table's columns.
pub struct Spec {
    pub table: &'static str,
    /// (column, array element type, cast) in declaration order.
    pub columns: &'static [(&'static str, &'static str, Option<&'static str>)],
}

impl Spec {
    fn names(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.0)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn select(&self) -> String {
        self.columns
            .iter()
            .map(|(name, pg, cast)| match cast {
                Some("text[]") if *pg == "jsonb" => {
                    format!("ARRAY(SELECT jsonb_array_elements_text({name}))")
                }
                // a list of base58 keys joined by commas (base58 has none)
                Some("text[]") if *pg == "text" => format!("string_to_array({name}, ',')"),
                Some(cast) => format!("{name}::{cast}"),
                None => (*name).to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn arrays(&self) -> String {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, pg, _))| format!("${}::{pg}[]", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn key(&self) -> &'static [&'static str] {
        tables::get(self.table).map_or(&[], |t| t.key)
    }

    /// `INSERT INTO t (cols) SELECT exprs FROM UNNEST($1::type[], ...) AS u(cols)`.
    pub fn insert(&self) -> String {
        let names = self.names();
        format!(
            "INSERT INTO {table} ({names}) SELECT {select} FROM UNNEST({arrays}) AS u({names})",
            table = self.table,
            select = self.select(),
            arrays = self.arrays(),
        )
    }

    /// The insert, rows already present (by primary key) left as they are.
    pub fn insert_new(&self) -> String {
        format!(
            "{} ON CONFLICT ({}) DO NOTHING",
            self.insert(),
            self.key().join(", ")
        )
    }

    /// The insert as an upsert guarded by slot: a row is replaced only by a read at the
    /// same or a newer slot, unless the last parameter (`force`, after the columns) is set.
    pub fn upsert(&self) -> String {
        let key = self.key();
        let set: Vec<String> = self
            .columns
            .iter()
            .filter(|c| !key.contains(&c.0))
            .map(|c| format!("{0} = excluded.{0}", c.0))
            .collect();
        format!(
            "{} ON CONFLICT ({}) DO UPDATE SET {} WHERE ${} OR {}.slot <= excluded.slot",
            self.insert(),
            key.join(", "),
            set.join(", "),
            self.columns.len() + 1,
            self.table,
        )
    }

    /// The upsert, returning the key of each row it wrote.
    pub fn upsert_returning_key(&self) -> String {
        format!("{} RETURNING {}", self.upsert(), self.key().join(", "))
    }
}

/// The statements of one column set, built once.
#[derive(Default)]
pub struct Sql {
    insert: OnceLock<String>,
    insert_new: OnceLock<String>,
    upsert: OnceLock<String>,
    upsert_returning_key: OnceLock<String>,
}

impl Sql {
    pub const fn new() -> Self {
        Self {
            insert: OnceLock::new(),
            insert_new: OnceLock::new(),
            upsert: OnceLock::new(),
            upsert_returning_key: OnceLock::new(),
        }
    }
}

/// A column set: its spec, its statements, and its arrays as arguments.
pub trait Columns: Default {
    const SPEC: Spec;
    fn sql() -> &'static Sql;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every column's array, in declaration order.
    fn arguments(&self) -> Result<PgArguments, sqlx::Error>;
}

fn encode(e: sqlx::error::BoxDynError) -> sqlx::Error {
    sqlx::Error::Encode(e)
}

/// Appends the rows (no conflict handling: a parent's children are replaced with it).
pub async fn insert<C: Columns>(c: &C, conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    if c.is_empty() {
        return Ok(0);
    }
    let sql = C::sql().insert.get_or_init(|| C::SPEC.insert());
    let r = sqlx::query_with(sql, c.arguments()?).execute(conn).await?;
    Ok(r.rows_affected())
}

/// Inserts the rows not present yet (history: each event once).
pub async fn insert_new<C: Columns>(c: &C, conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    if c.is_empty() {
        return Ok(0);
    }
    let sql = C::sql().insert_new.get_or_init(|| C::SPEC.insert_new());
    let r = sqlx::query_with(sql, c.arguments()?).execute(conn).await?;
    Ok(r.rows_affected())
}

fn forced<C: Columns>(c: &C, force: bool) -> Result<PgArguments, sqlx::Error> {
    let mut args = c.arguments()?;
    args.add(force).map_err(encode)?;
    Ok(args)
}

/// The slot-guarded upsert of account rows; returns how many rows it wrote.
pub async fn upsert<C: Columns>(
    c: &C,
    conn: &mut PgConnection,
    force: bool,
) -> Result<u64, sqlx::Error> {
    if c.is_empty() {
        return Ok(0);
    }
    let sql = C::sql().upsert.get_or_init(|| C::SPEC.upsert());
    let r = sqlx::query_with(sql, forced(c, force)?)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}

/// The slot-guarded upsert, returning the (one-column, text) key of each row it wrote.
pub async fn upsert_keys<C: Columns>(
    c: &C,
    conn: &mut PgConnection,
    force: bool,
) -> Result<Vec<String>, sqlx::Error> {
    if c.is_empty() {
        return Ok(Vec::new());
    }
    let sql = C::sql()
        .upsert_returning_key
        .get_or_init(|| C::SPEC.upsert_returning_key());
    sqlx::query_scalar_with(sql, forced(c, force)?)
        .fetch_all(conn)
        .await
}

/// Declares a row type, its column set and its spec: see the module's doc.
#[macro_export]
macro_rules! columns {
    ($(#[$meta:meta])* $set:ident($row:ident) in $table:literal {
        $( $col:ident : $ty:ty = $pg:literal $(as $cast:literal)? ),* $(,)?
    }) => {
        #[doc = concat!("One row of `", $table, "`.")]
        #[derive(Debug, Clone, PartialEq)]
        pub struct $row { $( pub $col: $ty, )* }

        $(#[$meta])*
        #[derive(Debug, Default, Clone)]
        pub struct $set { $( pub $col: Vec<$ty>, )* }

        impl $set {
            pub fn push(&mut self, row: $row) {
                $( self.$col.push(row.$col); )*
            }
        }

        impl FromIterator<$row> for $set {
            fn from_iter<I: IntoIterator<Item = $row>>(rows: I) -> Self {
                let mut set = Self::default();
                rows.into_iter().for_each(|r| set.push(r));
                set
            }
        }

        impl $crate::columns::Columns for $set {
            const SPEC: $crate::columns::Spec = $crate::columns::Spec {
                table: $table,
                columns: &[ $( (stringify!($col), $pg, $crate::columns!(@cast $($cast)?)) ),* ],
            };
            fn sql() -> &'static $crate::columns::Sql {
                static SQL: $crate::columns::Sql = $crate::columns::Sql::new();
                &SQL
            }
            fn len(&self) -> usize {
                [$( self.$col.len() ),*].into_iter().next().unwrap_or(0)
            }
            fn arguments(&self) -> Result<sqlx::postgres::PgArguments, sqlx::Error> {
                use sqlx::Arguments as _;
                let mut args = sqlx::postgres::PgArguments::default();
                $( args.add(&self.$col).map_err(sqlx::Error::Encode)?; )*
                Ok(args)
            }
        }
    };
    (@cast) => { None };
    (@cast $cast:literal) => { Some($cast) };
}
