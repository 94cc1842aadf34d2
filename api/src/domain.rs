//! Values parsed at the edge: once a handler holds one, it is valid.
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};
use solana_address::Address;

use crate::error::ApiError;

/// A Solana address (wallet, organizer, event, ticket, mint): base58 of exactly 32 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountAddress(pub Address);

impl FromStr for AccountAddress {
    type Err = ApiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() > 44 {
            return Err(ApiError::BadRequest("not a Solana address".into()));
        }
        Address::from_str(s)
            .map(AccountAddress)
            .map_err(|_| ApiError::BadRequest("not a Solana address".into()))
    }
}

impl fmt::Display for AccountAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for AccountAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountAddress({})", self.0)
    }
}

impl<'de> Deserialize<'de> for AccountAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse()
            .map_err(|_| serde::de::Error::custom("not a Solana address (base58 of 32 bytes)"))
    }
}

impl Serialize for AccountAddress {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl utoipa::PartialSchema for AccountAddress {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[1-9A-HJ-NP-Za-km-z]{32,44}$"))
            .description(Some("a Solana address: base58 of 32 bytes"))
            .into()
    }
}

impl utoipa::ToSchema for AccountAddress {}

/// Page sizes are bounded: 1 to 100, 50 when not given.
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub i64);

impl Limit {
    pub const MAX: i64 = 100;
    pub const DEFAULT: i64 = 50;

    pub fn new(given: Option<u32>) -> Result<Self, ApiError> {
        match given {
            None => Ok(Limit(Self::DEFAULT)),
            Some(n) if (1..=Self::MAX as u32).contains(&n) => Ok(Limit(n as i64)),
            Some(_) => Err(ApiError::BadRequest(format!(
                "query parameter `limit`: 1 to {}",
                Self::MAX
            ))),
        }
    }
}

/// A page of rows and the cursor of the next one (absent on the last page).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// `rows` was fetched with `limit + 1`: the extra row only says that more follow.
    pub fn from_rows(mut rows: Vec<T>, limit: Limit, cursor: impl Fn(&T) -> String) -> Self {
        let more = rows.len() as i64 > limit.0;
        rows.truncate(limit.0 as usize);
        let next_cursor = if more { rows.last().map(cursor) } else { None };
        Page {
            items: rows,
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_base58_of_32_bytes() {
        let a = Address::new_unique();
        assert_eq!(a.to_string().parse::<AccountAddress>().unwrap().0, a);
        for bad in ["", "0OIl", "abc", &"1".repeat(45), "' OR 1=1 --"] {
            assert!(bad.parse::<AccountAddress>().is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(Limit::new(None).unwrap().0, 50);
        assert_eq!(Limit::new(Some(100)).unwrap().0, 100);
        assert!(Limit::new(Some(0)).is_err());
        assert!(Limit::new(Some(101)).is_err());
    }

    #[test]
    fn a_page_has_a_cursor_only_when_more_follow() {
        let p = Page::from_rows(vec![1, 2, 3], Limit(2), |n| n.to_string());
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.next_cursor.as_deref(), Some("2"));
        let p = Page::from_rows(vec![1, 2], Limit(2), |n| n.to_string());
        assert_eq!(p.next_cursor, None);
    }
}

/// A u64 amount from a numeric(20) column of the mirror (selected as `::text`): an event's
/// price may be any u64, past what bigint holds. Serialized as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Amount(pub u64);

impl sqlx::Type<sqlx::Postgres> for Amount {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <String as sqlx::Type<sqlx::Postgres>>::type_info()
    }

    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Postgres> for Amount {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
        Ok(Amount(text.parse()?))
    }
}
