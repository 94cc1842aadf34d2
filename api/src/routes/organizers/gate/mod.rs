//! The gate: a gatekeeper (or a service) scans a QR code, and the API says whether to
//! admit. The decision reads as the checks it makes, in order: the code (`crate::qr`,
//! `reasons`), the mirror (`mirror`), the chain (`crate::chain`, deciding by the client
//! library's `gate::admit`, as the CLI's `gate check` does), single use (`admission`),
//! and for a gatekeeper wallet the check-in transaction (`check_in`). The refusal names
//! are the client library's (`gate::Refusal`).
mod admission;
mod check_in;
mod mirror;
mod reasons;

use axum::extract::State;
use axum::{Extension, Json};
use bitticket_client::gate::{self as door, Refusal};
use bitticket_client::names::Named as _;
use serde::{Deserialize, Serialize};

use super::tenant;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json as Body, Path};
use crate::rbac::Caller;
use crate::routes::transactions::BuiltTransaction;
use crate::startup::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GateRequest {
    pub payload: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GateDecision {
    pub admit: bool,
    /// `ok`, or why not: `malformed`, `other_organizer`, `unknown_key`, `forged`,
    /// `expired`, `not_found`, `checked_in`, `refunded`, `holder_changed`,
    /// `event_cancelled`, `not_on_chain`, `wrong_event`, `outside_check_in`,
    /// `not_a_gatekeeper` (the chain no longer gives the scanning wallet the role),
    /// `already_admitted`, `no_pass` (a gatekeeper's wallet scanned a code without the
    /// holder's pass: the holder shows a fresh code).
    pub reason: &'static str,
    /// The ticket, holder and event the code names: never on `other_organizer` or
    /// `not_found` (a gate learns nothing of codes that are not its organizer's).
    pub ticket: Option<String>,
    pub holder: Option<String>,
    pub event: Option<String>,
    /// On `already_admitted`: who admitted the ticket first (a gatekeeper's wallet or
    /// `service:<name>`) and when (Unix seconds).
    pub admitted_by: Option<String>,
    pub admitted_at: Option<i64>,
    /// On admit, for a gatekeeper wallet: the check-in transaction, for the gatekeeper to
    /// sign alone: the holder's pass from the code in an Ed25519 instruction, then the
    /// check-in (the program checks the pass, the role and the holder's token again).
    pub check_in: Option<BuiltTransaction>,
}

/// What a code names once it opens, and the mirror shows it as this organizer's.
pub(super) struct Scanned {
    pub ticket: String,
    pub holder: String,
    pub event: String,
}

impl GateDecision {
    /// A refusal that names nothing of the code.
    fn refuse(refusal: Refusal) -> Self {
        GateDecision {
            reason: refusal.name(),
            ..Self::ok()
        }
    }

    /// A refusal of a code of this organizer's, naming its ticket, holder and event.
    fn refuse_named(refusal: Refusal, n: Scanned) -> Self {
        GateDecision {
            ticket: Some(n.ticket),
            holder: Some(n.holder),
            event: Some(n.event),
            ..Self::refuse(refusal)
        }
    }

    fn admit(n: Scanned, check_in: Option<BuiltTransaction>) -> Self {
        GateDecision {
            admit: true,
            ticket: Some(n.ticket),
            holder: Some(n.holder),
            event: Some(n.event),
            check_in,
            ..Self::ok()
        }
    }

    /// `ok`, admitting nothing and naming nothing yet.
    fn ok() -> Self {
        GateDecision {
            admit: false,
            reason: "ok",
            ticket: None,
            holder: None,
            event: None,
            admitted_by: None,
            admitted_at: None,
            check_in: None,
        }
    }
}

/// Checks a ticket's QR code at the door: admit or deny, with the reason (a gatekeeper).
///
/// A gatekeeper scans a QR code: it must be this organizer's, open under a live key, be
/// unexpired, name a ticket of this organizer that is still valid and still held by the
/// wallet it names, in the mirror and then on chain (the mirror may lag a slot behind a
/// transfer or a check-in). Admission is single use: the first admit of a ticket is
/// recorded in Postgres (across API instances) and every later scan of it is
/// `already_admitted`. Every decision is audited.
#[utoipa::path(post, path = "/v1/organizers/{organizer}/gate/verify", tag = "gate", params(("organizer" = String, Path, description = "the organizer (tenant) address")), request_body = GateRequest, security(("bearer" = [])), responses((status = 200, body = GateDecision), (status = 503, description = "the node does not answer: the gate fails closed", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(
    name = "organizers.gate_verify",
    skip_all,
    fields(%organizer, ticket = tracing::field::Empty, event = tracing::field::Empty, reason = tracing::field::Empty)
)]
pub async fn gate_verify(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(organizer): Path<AccountAddress>,
    Body(req): Body<GateRequest>,
) -> Result<Json<GateDecision>, ApiError> {
    let org = tenant(&caller)?;
    let decision = decide(&app, &caller, &org, &req.payload).await?;
    let span = tracing::Span::current();
    span.record("reason", decision.reason);
    if let (Some(ticket), Some(event)) = (&decision.ticket, &decision.event) {
        span.record("ticket", ticket.as_str());
        span.record("event", event.as_str());
    }
    let outcome = if decision.admit {
        "admit"
    } else {
        decision.reason
    };
    crate::audit::Entry::new(&caller.identity.actor(), "gate_decision", outcome)
        .tenant(Some(&org))
        .target(decision.ticket.as_deref())
        .source(caller.source.as_deref())
        .detail(serde_json::json!({ "holder": decision.holder }))
        .record(&app.pool)
        .await;
    Ok(Json(decision))
}

/// The checks, in order; the first that refuses decides.
async fn decide(
    app: &AppState,
    caller: &Caller,
    org: &str,
    payload: &str,
) -> Result<GateDecision, ApiError> {
    let org_address: AccountAddress = org.parse()?;
    // the code: this organizer's, under a live key, authentic, unexpired
    let claim = match app.qr.open(&app.pool, &org_address, payload).await? {
        Ok(c) => c,
        Err(e) => return Ok(GateDecision::refuse(reasons::qr(&e))),
    };
    // the mirror: a ticket of this organizer's, valid and held by the wallet the code names
    let (ticket, holder) = (claim.ticket.to_string(), claim.holder.to_string());
    let Some(mirrored) = mirror::ticket(app, caller, &ticket).await? else {
        // another organizer's ticket is invisible in this scope: indistinguishable from
        // none, and nothing of the code is echoed
        return Ok(GateDecision::refuse(Refusal::NotFound));
    };
    if mirrored.organizer != org {
        return Ok(GateDecision::refuse(Refusal::OtherOrganizer));
    }
    let scanned = Scanned {
        ticket,
        holder,
        event: mirrored.event.clone(),
    };
    if let Some(reason) = mirrored.refusal(&scanned.holder) {
        return Ok(GateDecision::refuse_named(reason, scanned));
    }
    let (mint, event) = (mirrored.mint()?, mirrored.event()?);
    // the mirror says yes: the chain has the last word
    let at_the_door = door::Claim {
        organizer: org_address.0,
        event: event.0,
        mint: mint.0,
        holder: claim.holder.0,
        gatekeeper: caller.wallet().map(|w| w.0),
    };
    if let Err(refusal) = app.chain.admission(&at_the_door).await? {
        return Ok(GateDecision::refuse_named(refusal, scanned));
    }
    // a gatekeeper's wallet checks in on chain, which needs the holder's pass; a code
    // without one is refused before it uses up the ticket's single admission
    let pass = match (caller.wallet(), claim.pass.as_deref()) {
        (Some(_), None) => return Ok(GateDecision::refuse_named(Refusal::NoPass, scanned)),
        (Some(_), Some(sig)) => Some(check_in::pass(&mint, &claim, sig)?),
        (None, _) => None,
    };
    // single use: the first admit of the ticket wins, in Postgres, across instances
    if let Some(first) = admission::admit(app, caller, org, &scanned, payload).await? {
        return Ok(GateDecision {
            admitted_by: Some(first.gate),
            admitted_at: Some(first.at),
            ..GateDecision::refuse_named(Refusal::AlreadyAdmitted, scanned)
        });
    }
    // a gatekeeper wallet gets the check-in transaction, to sign alone
    let check_in = match (caller.wallet(), pass) {
        (Some(gatekeeper), Some(pass)) => Some(
            check_in::transaction(app, &gatekeeper, &pass, &org_address, &event, &scanned).await?,
        ),
        _ => None,
    };
    Ok(GateDecision::admit(scanned, check_in))
}
