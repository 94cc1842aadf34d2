//! Transactions for a wallet to sign: the API builds them with the program's own client
//! builders (canonical bumps, the purchase's mint keypair chosen as the client library
//! does, signed here by that fresh mint only) and returns them base64 (the wire format).
//! It signs nothing else and keeps no key: the wallet signs and sends.
use axum::extract::State;
use axum::{Extension, Json};
use base64::Engine;
use bitticket_client::{
    ix_buy_listing_in, ix_delist_ticket, ix_list_ticket, ix_purchase_at_most, ix_purchase_tier_in,
    ix_transfer_ticket, ticket_mint, ticket_pda, TokenCurrency,
};
use serde::{Deserialize, Serialize};
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::currency::Currency;
use crate::db;
use crate::domain::{AccountAddress, Amount};
use crate::error::{ApiError, ErrorBody};
use crate::extract::Json as Body;
use crate::rbac::Caller;
use crate::sale::{SaleStatus, Terms};
use crate::startup::AppState;
use crate::tiers::{self, TierRow};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BuiltTransaction {
    /// base64 of the serialized transaction, partially signed where the API had to.
    pub transaction: String,
    pub blockhash: String,
    /// Who must still sign.
    pub signers: Vec<String>,
    pub mint: Option<String>,
    pub ticket: Option<String>,
}

pub fn encode(tx: &Transaction) -> Result<String, ApiError> {
    let bytes = bincode::serialize(tx).map_err(ApiError::internal)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

async fn audit_build(app: &AppState, caller: &Caller, kind: &str, target: &str) {
    crate::audit::Entry::new(&caller.identity.actor(), "tx_build", "ok")
        .target(Some(target))
        .source(caller.source.as_deref())
        .detail(serde_json::json!({ "kind": kind }))
        .record(&app.pool)
        .await;
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseRequest {
    pub event: AccountAddress,
    /// The shard to buy from; by default the opened shard (of the tier, if one is named)
    /// with the fewest sales.
    pub shard: Option<u8>,
    /// The most the buyer agrees to pay, in the price's currency's smallest unit (lamports,
    /// or a token tier's mint's base units); by default the price now (the event's, or the
    /// tier's open phase's). Also read as `max_price_lamports`.
    #[serde(alias = "max_price_lamports")]
    pub max_price: Option<u64>,
    /// A ticket of this tier of the event (its index), in the phase open now; without it,
    /// of the event's own sale.
    pub tier: Option<u8>,
    /// The buyer's Merkle proof (32-byte nodes in hex, leaf to root) when the open phase
    /// has an allow-list.
    pub proof: Option<Vec<String>>,
}

/// An event's price and sale terms, with its shards' tickets sold.
#[derive(sqlx::FromRow)]
struct SaleTerms {
    price: Amount,
    paused: bool,
    cancelled: bool,
    approved: bool,
    sale_start: i64,
    sale_end: i64,
    supply: i64,
    shard_count: i32,
    /// The opened shards (index, tickets sold), fewest sales first, as two parallel arrays.
    shard_index: Vec<i32>,
    shard_sold: Vec<i64>,
}

/// The event `$1`'s terms with its opened shards' sales, in one round-trip.
const SALE_TERMS: &str = "SELECT e.price_lamports::text AS price, e.paused, e.cancelled, e.approved,
            e.sale_start, e.sale_end, e.supply, e.shard_count,
            ARRAY(SELECT s.index FROM shards s WHERE s.event = e.pubkey AND s.tier = coalesce($2, 255)
                  ORDER BY s.sold, s.index) AS shard_index,
            ARRAY(SELECT s.sold FROM shards s WHERE s.event = e.pubkey AND s.tier = coalesce($2, 255)
                  ORDER BY s.sold, s.index) AS shard_sold
     FROM events e WHERE e.pubkey = $1";

/// Whether shard `index` of `count` still has a serial below the supply after `sold` sales
/// (shard `i` of `n` issues serials `i, i + n, ...`: the program's `ShardSoldOut` rule).
fn has_room(index: i32, sold: i64, count: i32, supply: i64) -> bool {
    sold.saturating_mul(i64::from(count.max(1)))
        .saturating_add(i64::from(index))
        < supply
}

/// Builds a purchase for the wallet to sign.
///
/// Of the event's own sale, or of one of its tiers (`tier`) in the phase open now, with the
/// buyer's allow-list proof when that phase has one.
///
/// Refused with 409 before anything is built when the event (or the tier) cannot sell
/// now, by the mirror's figures and the chain's clock: `sold_out` (also when the shard
/// asked for, or every open shard, has sold its share), `sale_not_started` (with the start
/// time), `between_phases`, `sale_ended`, `sale_paused`, `event_cancelled`,
/// `event_not_approved`, `not_allow_listed` (the proof does not prove the buyer is on the
/// phase's list).
#[utoipa::path(post, path = "/v1/transactions/purchase", tag = "transactions", request_body = PurchaseRequest, security(("bearer" = [])), responses((status = 200, body = BuiltTransaction), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 409, description = "the event cannot sell now: sold_out, sale_not_started, sale_ended, sale_paused, event_cancelled, event_not_approved; or price_above_maximum", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "transactions.purchase", skip_all, fields(event = %req.event))]
pub async fn purchase(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Body(req): Body<PurchaseRequest>,
) -> Result<Json<BuiltTransaction>, ApiError> {
    let buyer = caller.wallet().ok_or(ApiError::Forbidden)?;
    build_purchase(&app, &caller, buyer, &req, "purchase")
        .await
        .map(Json)
}

/// The purchase `req` for `buyer`, read in `caller`'s scope, refused with the reason when
/// it cannot land now; audited as `kind` (the signed-in route's, or the Actions link's).
pub async fn build_purchase(
    app: &AppState,
    caller: &Caller,
    buyer: AccountAddress,
    req: &PurchaseRequest,
    kind: &str,
) -> Result<BuiltTransaction, ApiError> {
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let terms: Option<SaleTerms> = sqlx::query_as(SALE_TERMS)
        .bind(req.event.to_string())
        .bind(req.tier.map(i32::from))
        .fetch_optional(&mut *tx)
        .await?;
    let Some(terms) = terms else {
        return Err(ApiError::NotFound);
    };
    let tier = match req.tier {
        None => None,
        Some(t) => {
            let mut found = tiers::of_events(&mut tx, &[req.event.to_string()]).await?;
            let row = found
                .remove(&req.event.to_string())
                .unwrap_or_default()
                .into_iter()
                .find(|r| r.index == i32::from(t))
                .ok_or_else(|| ApiError::BadRequest(format!("field `tier`: no tier {t}")))?;
            Some(row)
        }
    };
    tx.commit().await?;
    let shards: Vec<(i32, i64)> = terms
        .shard_index
        .iter()
        .copied()
        .zip(terms.shard_sold.iter().copied())
        .collect();
    // the sale window is the chain's to judge (its clock, not this server's); a token tier's
    // mint is read in the same round trip, for its token program
    let currency = tier.as_ref().map(TierRow::currency).transpose()?;
    let mint = currency.as_ref().map(Currency::mint).transpose()?.flatten();
    let ((now, token), blockhash) = tokio::try_join!(
        app.chain.now_and_currency(mint.as_ref().map(|m| &m.0)),
        app.chain.latest_blockhash()
    )?;
    let sale = Terms {
        cancelled: terms.cancelled,
        approved: terms.approved,
        paused: terms.paused,
        sale_start: terms.sale_start,
        sale_end: terms.sale_end,
        supply: terms.supply,
        sold: shards.iter().map(|(_, sold)| sold).sum(),
        // each opened shard's room is checked below, naming the shard
        open_room: None,
    };
    if let (Some(tier), Some(currency)) = (tier, currency) {
        let tier = PricedTier {
            row: &tier,
            currency: &currency,
            token,
        };
        return purchase_tier(
            app, caller, buyer, req, &sale, tier, &shards, now, blockhash, kind,
        )
        .await;
    }
    if let Some(refused) = sale.refusal(now) {
        return Err(refused);
    }
    // the program refuses a price above the buyer's maximum (`PriceAboveMaximum`)
    require_price(terms.price.0, req.max_price, &Currency::sol())?;
    let room = |&(index, sold): &(i32, i64)| has_room(index, sold, terms.shard_count, terms.supply);
    let shard = pick_shard(req.shard, &shards, room)?;
    let mint = ticket_mint(&buyer.0);
    let ix = ix_purchase_at_most(
        &buyer.0,
        &req.event.0,
        shard,
        &mint.pubkey(),
        req.max_price.unwrap_or(terms.price.0),
    );
    built_purchase(app, caller, buyer, req, ix, mint, blockhash, kind).await
}

/// The program refuses a price above the buyer's maximum (`PriceAboveMaximum`).
fn require_price(price: u64, max: Option<u64>, currency: &Currency) -> Result<(), ApiError> {
    match max {
        Some(max) if max < price => Err(ApiError::Conflict {
            code: "price_above_maximum",
            message: format!(
                "the price is {}, above the most you agreed to pay ({})",
                currency.show(price),
                currency.show(max)
            ),
        }),
        _ => Ok(()),
    }
}

/// A tier with what it sells in: its currency, and for a token tier the mint with its
/// token program as the chain says.
struct PricedTier<'a> {
    row: &'a TierRow,
    currency: &'a Currency,
    token: Option<TokenCurrency>,
}

/// The token side of a purchase in `currency`: none for SOL; else its mint with the token
/// program that owns it, as the chain says.
async fn token_side(
    app: &AppState,
    currency: &Currency,
) -> Result<Option<TokenCurrency>, ApiError> {
    match currency.mint()? {
        None => Ok(None),
        Some(mint) => app.chain.token_currency(&mint.0).await.map(Some),
    }
}

/// The shard asked for, if it is open and has room; else the open shard with room and the
/// fewest sales.
fn pick_shard(
    asked: Option<u8>,
    shards: &[(i32, i64)],
    room: impl Fn(&(i32, i64)) -> bool,
) -> Result<u8, ApiError> {
    Ok(match asked {
        Some(s) => match shards.iter().find(|(index, _)| *index == i32::from(s)) {
            None => {
                return Err(ApiError::BadRequest(
                    "field `shard`: no such shard is open".into(),
                ))
            }
            Some(open) if !room(open) => {
                return Err(ApiError::Conflict {
                    code: "sold_out",
                    message: format!("shard {s} has sold its share of the supply"),
                })
            }
            Some(_) => s,
        },
        None => match shards.iter().find(|&s| room(s)) {
            Some((index, _)) => u8::try_from(*index).map_err(ApiError::internal)?,
            None if shards.is_empty() => {
                return Err(ApiError::BadRequest("no shard is open".into()))
            }
            None => {
                return Err(ApiError::Conflict {
                    code: "sold_out",
                    message: "every open shard has sold its share of the supply".into(),
                })
            }
        },
    })
}

/// A tier's purchase, in the phase open at `now` (the chain's clock).
#[allow(clippy::too_many_arguments)]
async fn purchase_tier(
    app: &AppState,
    caller: &Caller,
    buyer: AccountAddress,
    req: &PurchaseRequest,
    event: &Terms,
    priced: PricedTier<'_>,
    shards: &[(i32, i64)],
    now: i64,
    blockhash: solana_hash::Hash,
    kind: &str,
) -> Result<BuiltTransaction, ApiError> {
    let tier = priced.row;
    let status = tier.status(event, now);
    if matches!(
        status,
        SaleStatus::Cancelled | SaleStatus::NotApproved | SaleStatus::Paused
    ) {
        if let Some(refused) = event.refusal(now) {
            return Err(refused);
        }
    }
    let (phase_index, phase) = tier.phase_at(now).map_err(|s| {
        let (code, message) = match s {
            SaleStatus::NotStarted => ("sale_not_started", "the tier's first phase has not opened"),
            SaleStatus::BetweenPhases => (
                "between_phases",
                "the tier's last phase closed and its next one has not opened",
            ),
            _ => ("sale_ended", "the tier's last phase is over"),
        };
        ApiError::Conflict {
            code,
            message: format!("{message} (tier {}, by the chain's clock)", tier.name),
        }
    })?;
    let price = phase.price()?;
    require_price(price, req.max_price, priced.currency)?;
    let proof: Vec<[u8; 32]> = req
        .proof
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, node)| {
            tiers::parse_hex32(node).ok_or_else(|| {
                ApiError::BadRequest(format!("field `proof[{i}]`: not 64 hex digits"))
            })
        })
        .collect::<Result<_, _>>()?;
    if proof.len() > usize::from(bitticket::constants::MAX_PROOF_LEN) {
        return Err(ApiError::BadRequest(format!(
            "field `proof`: at most {} nodes",
            bitticket::constants::MAX_PROOF_LEN
        )));
    }
    let tier_index = u8::try_from(tier.index).map_err(ApiError::internal)?;
    let mut proof = proof;
    if let Some(root) = phase.root()? {
        if req.proof.is_none() {
            // the organizer may have uploaded the list here: its proof for this wallet
            let mut tx = db::begin(&app.pool, caller.scope()).await?;
            let stored = crate::routes::organizers::allow_lists::stored_proof(
                &mut tx,
                &req.event,
                tier_index,
                phase_index,
                &buyer,
            )
            .await?;
            tx.commit().await?;
            proof = stored.map(|(_, p)| p).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "field `proof`: phase {phase_index} of tier {} is for its allow-list, and                      no list uploaded here names this wallet; send your proof",
                    tier.name
                ))
            })?;
        }
        let leaf = bitticket::allow_list::leaf(&req.event.0, tier_index, phase_index, &buyer.0);
        if !bitticket::allow_list::verify(&root, leaf, &proof) {
            return Err(ApiError::Conflict {
                code: "not_allow_listed",
                message: format!(
                    "the proof does not put this wallet on the allow-list of phase {phase_index} of tier {}",
                    tier.name
                ),
            });
        }
    }
    let shard = pick_shard(req.shard, shards, |&(index, sold)| {
        tier.has_room(index, sold)
    })?;
    let mint = ticket_mint(&buyer.0);
    let ix = ix_purchase_tier_in(
        &buyer.0,
        &req.event.0,
        tier_index,
        shard,
        &mint.pubkey(),
        req.max_price.unwrap_or(price),
        proof,
        priced.token,
    );
    built_purchase(app, caller, buyer, req, ix, mint, blockhash, kind).await
}

/// The purchase `ix`, signed by its fresh `mint` only, for the buyer to sign.
#[allow(clippy::too_many_arguments)]
async fn built_purchase(
    app: &AppState,
    caller: &Caller,
    buyer: AccountAddress,
    req: &PurchaseRequest,
    ix: solana_transaction::Instruction,
    mint: solana_keypair::Keypair,
    blockhash: solana_hash::Hash,
    kind: &str,
) -> Result<BuiltTransaction, ApiError> {
    let mut t = Transaction::new_with_payer(&[ix], Some(&buyer.0));
    t.try_partial_sign(&[&mint], blockhash)
        .map_err(ApiError::internal)?;
    audit_build(app, caller, kind, &req.event.to_string()).await;
    Ok(BuiltTransaction {
        transaction: encode(&t)?,
        blockhash: blockhash.to_string(),
        signers: vec![buyer.to_string()],
        mint: Some(mint.pubkey().to_string()),
        ticket: Some(ticket_pda(&mint.pubkey()).to_string()),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The ticket account or its mint.
    pub ticket: AccountAddress,
    pub recipient: AccountAddress,
}

/// A ticket the caller holds: its account, mint, event and state, its face value, its
/// event's resale terms, and the seller of the listing open at its address, if any.
#[derive(sqlx::FromRow)]
struct HeldTicket {
    pubkey: String,
    mint: String,
    event: String,
    state: String,
    price_paid: Amount,
    resale_cap_bps: i64,
    transfers_locked: bool,
    cancelled: bool,
    open_seller: Option<String>,
    currency: String,
    currency_decimals: i32,
}

/// The ticket `$1` (its account or its mint) if the wallet `$2` holds it.
const HELD_TICKET: &str = "SELECT t.pubkey, t.mint, t.event, t.state,
       t.price_paid::text AS price_paid, e.resale_cap_bps, e.transfers_locked, e.cancelled,
       (SELECT l.seller FROM listings l
        WHERE l.ticket = t.pubkey AND l.closed_slot IS NULL) AS open_seller,
       coalesce(sh.currency, '11111111111111111111111111111111') AS currency,
       coalesce(tr.currency_decimals, 9) AS currency_decimals
     FROM tickets t JOIN events e ON e.pubkey = t.event
     LEFT JOIN shards sh ON sh.event = t.event AND sh.index = t.shard_index
     LEFT JOIN tiers tr ON tr.event = t.event AND tr.index = t.tier
     WHERE (t.pubkey = $1 OR t.mint = $1) AND t.holder = $2";

/// The ticket `ticket` (its account or its mint) if the caller's wallet holds it.
async fn held_ticket(
    app: &AppState,
    caller: &Caller,
    ticket: &AccountAddress,
) -> Result<(AccountAddress, HeldTicket, AccountAddress, AccountAddress), ApiError> {
    let holder = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let held: Option<HeldTicket> = sqlx::query_as(HELD_TICKET)
        .bind(ticket.to_string())
        .bind(holder.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    let held = held.ok_or(ApiError::NotFound)?;
    let mint = stored(&held.mint, "mint")?;
    let event = stored(&held.event, "event")?;
    Ok((holder, held, mint, event))
}

fn stored(text: &str, what: &str) -> Result<AccountAddress, ApiError> {
    text.parse()
        .map_err(|_| ApiError::internal(format!("stored {what}")))
}

/// Builds a transfer of a ticket the wallet holds (by its ticket account or its mint).
#[utoipa::path(post, path = "/v1/transactions/transfer", tag = "transactions", request_body = TransferRequest, security(("bearer" = [])), responses((status = 200, body = BuiltTransaction), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "transactions.transfer", skip_all, fields(ticket = %req.ticket))]
pub async fn transfer(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Body(req): Body<TransferRequest>,
) -> Result<Json<BuiltTransaction>, ApiError> {
    if Some(req.recipient) == caller.wallet() {
        return Err(ApiError::BadRequest(
            "field `recipient`: already holds the ticket".into(),
        ));
    }
    let (holder, held, mint, event) = held_ticket(&app, &caller, &req.ticket).await?;
    if held.state != "valid" {
        return Err(ApiError::BadRequest(
            "only a valid ticket can be transferred".into(),
        ));
    }
    if held.transfers_locked {
        return Err(ApiError::Conflict {
            code: "transfers_locked",
            message: "the event's tickets move only through its resale market".into(),
        });
    }
    let ix = ix_transfer_ticket(&holder.0, &req.recipient.0, &event.0, &mint.0);
    built(&app, &caller, "transfer", holder, &[ix], &mint, held.pubkey).await
}

/// Builds and returns a transaction of `ixs` for `payer` alone to sign.
async fn built(
    app: &AppState,
    caller: &Caller,
    kind: &str,
    payer: AccountAddress,
    ixs: &[solana_transaction::Instruction],
    mint: &AccountAddress,
    ticket: String,
) -> Result<Json<BuiltTransaction>, ApiError> {
    let blockhash = app.chain.latest_blockhash().await?;
    let mut t = Transaction::new_with_payer(ixs, Some(&payer.0));
    t.message.recent_blockhash = blockhash;
    audit_build(app, caller, kind, &ticket).await;
    Ok(Json(BuiltTransaction {
        transaction: encode(&t)?,
        blockhash: blockhash.to_string(),
        signers: vec![payer.to_string()],
        mint: Some(mint.to_string()),
        ticket: Some(ticket),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    /// The ticket account or its mint.
    pub ticket: AccountAddress,
    /// What a buyer pays, the royalty included, in the ticket's currency's smallest unit
    /// (its tier's: lamports for SOL): at most the event's cap for this ticket. Also read
    /// as `price_lamports`.
    #[serde(alias = "price_lamports")]
    pub price: u64,
}

/// Builds the listing of a ticket the wallet holds on its event's resale market.
///
/// At most at the event's cap (`resale_cap_bps` of what its first buyer paid). A listing
/// already open at the ticket's address (the caller's, whose price this replaces, or a void one
/// of an earlier holder) is taken down first, in the same transaction.
#[utoipa::path(post, path = "/v1/transactions/list", tag = "transactions", request_body = ListRequest, security(("bearer" = [])), responses((status = 200, body = BuiltTransaction), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 409, description = "resale_closed, above_resale_cap, event_cancelled or ticket_not_valid", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "transactions.list", skip_all, fields(ticket = %req.ticket))]
pub async fn list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Body(req): Body<ListRequest>,
) -> Result<Json<BuiltTransaction>, ApiError> {
    let (seller, held, mint, event) = held_ticket(&app, &caller, &req.ticket).await?;
    let conflict = |code, message: String| Err(ApiError::Conflict { code, message });
    if held.state != "valid" {
        return conflict("ticket_not_valid", format!("the ticket is {}", held.state));
    }
    if held.cancelled {
        return conflict("event_cancelled", "the event was cancelled".into());
    }
    if held.resale_cap_bps == 0 {
        return conflict(
            "resale_closed",
            "the event's tickets are not resold through its market".into(),
        );
    }
    // the program's own rule (`ResaleTerms::cap`); the royalty plays no part in the cap
    let terms = bitticket::state::ResaleTerms {
        cap_bps: u32::try_from(held.resale_cap_bps).map_err(ApiError::internal)?,
        ..Default::default()
    };
    let cap = terms
        .cap(held.price_paid.0)
        .map_err(|_| ApiError::internal("resale cap"))?;
    if req.price > cap {
        let currency = Currency::stored(&held.currency, held.currency_decimals)?;
        return conflict(
            "above_resale_cap",
            format!(
                "this ticket may be listed at most at {}",
                currency.show(cap)
            ),
        );
    }
    let mut ixs = Vec::with_capacity(2);
    if let Some(open) = &held.open_seller {
        let open = stored(open, "seller")?;
        ixs.push(ix_delist_ticket(&seller.0, &open.0, &event.0, &mint.0));
    }
    ixs.push(ix_list_ticket(&seller.0, &event.0, &mint.0, req.price));
    built(&app, &caller, "list", seller, &ixs, &mint, held.pubkey).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelistRequest {
    /// The ticket account or its mint.
    pub ticket: AccountAddress,
}

/// Builds the taking down of the caller's listing of a ticket it holds.
#[utoipa::path(post, path = "/v1/transactions/delist", tag = "transactions", request_body = DelistRequest, security(("bearer" = [])), responses((status = 200, body = BuiltTransaction), (status = 404, description = "no such ticket held, or it is not listed", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "transactions.delist", skip_all, fields(ticket = %req.ticket))]
pub async fn delist(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Body(req): Body<DelistRequest>,
) -> Result<Json<BuiltTransaction>, ApiError> {
    let (holder, held, mint, event) = held_ticket(&app, &caller, &req.ticket).await?;
    let open = held.open_seller.as_deref().ok_or(ApiError::NotFound)?;
    let open = stored(open, "seller")?;
    let ix = ix_delist_ticket(&holder.0, &open.0, &event.0, &mint.0);
    built(&app, &caller, "delist", holder, &[ix], &mint, held.pubkey).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyListingRequest {
    /// The listed ticket's account or its mint.
    pub ticket: AccountAddress,
    /// The most the buyer agrees to pay, in the listing's currency's smallest unit; by
    /// default the listing's price now. Also read as `max_price_lamports`.
    #[serde(alias = "max_price_lamports")]
    pub max_price: Option<u64>,
}

/// A standing listing, as the public market shows it.
#[derive(sqlx::FromRow)]
struct Standing {
    ticket: String,
    mint: String,
    event: String,
    seller: String,
    price: Amount,
    shard_index: i32,
    currency: String,
    currency_decimals: i32,
}

const STANDING: &str = "SELECT ticket, mint, event, seller, price::text AS price, shard_index,
            currency, currency_decimals
     FROM catalogue_listings WHERE ticket = $1 OR mint = $1";

/// Builds the purchase of a standing listing.
///
/// The buyer pays its price (the royalty to the event's proceeds, the rest to the seller)
/// and receives the ticket.
#[utoipa::path(post, path = "/v1/transactions/buy-listing", tag = "transactions", request_body = BuyListingRequest, security(("bearer" = [])), responses((status = 200, body = BuiltTransaction), (status = 404, description = "no standing listing of this ticket", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 409, description = "price_above_maximum or own_listing", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "transactions.buy_listing", skip_all, fields(ticket = %req.ticket))]
pub async fn buy_listing(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Body(req): Body<BuyListingRequest>,
) -> Result<Json<BuiltTransaction>, ApiError> {
    let buyer = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin_public(&app.pool).await?;
    let found: Option<Standing> = sqlx::query_as(STANDING)
        .bind(req.ticket.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    let l = found.ok_or(ApiError::NotFound)?;
    let seller = stored(&l.seller, "seller")?;
    if seller == buyer {
        return Err(ApiError::Conflict {
            code: "own_listing",
            message: "a seller cannot buy their own listing".into(),
        });
    }
    let currency = Currency::stored(&l.currency, l.currency_decimals)?;
    require_price(l.price.0, req.max_price, &currency)?;
    let token = token_side(&app, &currency).await?;
    let (mint, event) = (stored(&l.mint, "mint")?, stored(&l.event, "event")?);
    let shard = u8::try_from(l.shard_index).map_err(ApiError::internal)?;
    let ix = ix_buy_listing_in(
        &buyer.0,
        &seller.0,
        &event.0,
        &mint.0,
        shard,
        req.max_price.unwrap_or(l.price.0),
        token,
    );
    built(&app, &caller, "buy_listing", buyer, &[ix], &mint, l.ticket).await
}
