//! The gate's decision, one refusal at a time, and the accounts read back from their bytes.
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::AccountSerialize;
use anchor_spl::token::spl_token::state::{Account as SplAccount, AccountState};
use bitticket::constants::ACCOUNT_VERSION;
use bitticket::state::{EventConfig, Member};

use super::*;
use crate::accounts::Clock;

struct Door {
    claim: Claim,
    seen: Seen,
}

fn door() -> Door {
    let (organizer, event, mint, holder, gatekeeper) = (
        Address::new_unique(),
        Address::new_unique(),
        Address::new_unique(),
        Address::new_unique(),
        Address::new_unique(),
    );
    let ticket = Ticket {
        version: ACCOUNT_VERSION,
        event,
        mint,
        holder,
        serial: 0,
        shard_index: 0,
        tier: u8::MAX,
        price_paid: 1,
        state: TicketState::Valid,
        checked_in_at: 0,
        bump: 255,
    };
    let ev = Event {
        version: ACCOUNT_VERSION,
        organizer,
        event_id: 0,
        bump: 255,
        shard_count: 1,
        shards_opened: 1,
        paused: false,
        cancelled: false,
        approved: true,
        config: EventConfig {
            price_lamports: 1,
            supply: 1,
            sale_start: 0,
            sale_end: 100,
            resale_unlock: 100,
            max_per_wallet: 1,
            check_in_start: 50,
            check_in_end: 150,
            name: "x".into(),
            uri: String::new(),
        },
        cancelled_at: 0,
        tier_count: 0,
        shards_reserved: 1,
        tier_serial_start: 1,
        tier_serial_end: 1,
        tiers_changed_at_proposal: 0,
        resale: Default::default(),
    };
    let org = Organizer {
        version: ACCOUNT_VERSION,
        creator: Address::new_unique(),
        organizer_id: 0,
        next_event_id: 1,
        bump: 255,
        vault_bump: 255,
        threshold: 1,
        time_lock: 0,
        transaction_index: 0,
        stale_transaction_index: 0,
        members: vec![Member {
            key: gatekeeper,
            permissions: permission::GATEKEEPER,
        }],
        spending_limits: vec![],
        outflow_caps: vec![],
        name: "door test".into(),
    };
    Door {
        claim: Claim {
            organizer,
            event,
            mint,
            holder,
            gatekeeper: Some(gatekeeper),
        },
        seen: Seen {
            ticket: Some(ticket),
            event: Some(ev),
            holder_token: Some(Holding {
                mint,
                owner: holder,
                amount: 1,
            }),
            organizer: Some(org),
            now: 60,
        },
    }
}

fn refused(change: impl FnOnce(&mut Door)) -> Result<(), Refusal> {
    let mut d = door();
    change(&mut d);
    admit(&d.claim, &d.seen)
}

fn ticket(d: &mut Door) -> &mut Ticket {
    d.seen.ticket.as_mut().expect("ticket")
}

fn event(d: &mut Door) -> &mut Event {
    d.seen.event.as_mut().expect("event")
}

#[test]
fn a_valid_ticket_held_at_check_in_time_enters() {
    assert_eq!(refused(|_| {}), Ok(()));
    // no gatekeeper named: the role is not checked
    assert_eq!(refused(|d| d.claim.gatekeeper = None), Ok(()));
    assert_eq!(
        refused(|d| d.seen.organizer = None),
        Err(Refusal::NotAGatekeeper)
    );
    assert_eq!(
        refused(|d| {
            d.claim.gatekeeper = None;
            d.seen.organizer = None
        }),
        Ok(())
    );
}

#[test]
fn each_rule_refuses_with_its_reason() {
    use Refusal::*;
    assert_eq!(refused(|d| d.seen.ticket = None), Err(NotOnChain));
    assert_eq!(
        refused(|d| ticket(d).state = TicketState::CheckedIn),
        Err(CheckedIn)
    );
    assert_eq!(
        refused(|d| ticket(d).state = TicketState::Refunded),
        Err(Refunded)
    );
    assert_eq!(
        refused(|d| d.claim.event = Address::new_unique()),
        Err(WrongEvent)
    );
    assert_eq!(
        refused(|d| ticket(d).holder = Address::new_unique()),
        Err(HolderChanged)
    );
    assert_eq!(
        refused(|d| d.claim.mint = Address::new_unique()),
        Err(HolderChanged)
    );
    assert_eq!(refused(|d| d.seen.event = None), Err(WrongEvent));
    assert_eq!(
        refused(|d| d.claim.organizer = Address::new_unique()),
        Err(WrongEvent)
    );
    assert_eq!(refused(|d| event(d).cancelled = true), Err(EventCancelled));
    assert_eq!(refused(|d| d.seen.now = 49), Err(OutsideCheckIn));
    assert_eq!(refused(|d| d.seen.now = 150), Err(OutsideCheckIn));
    assert_eq!(refused(|d| d.seen.now = 50), Ok(()));
    assert_eq!(
        refused(|d| d.claim.gatekeeper = Some(Address::new_unique())),
        Err(NotAGatekeeper)
    );
    let other_role = |d: &mut Door| {
        if let Some(o) = d.seen.organizer.as_mut() {
            o.members[0].permissions = permission::ADMIN;
        }
    };
    assert_eq!(refused(other_role), Err(NotAGatekeeper));
    assert_eq!(refused(|d| d.seen.holder_token = None), Err(HolderChanged));
    let emptied = |d: &mut Door| {
        if let Some(t) = d.seen.holder_token.as_mut() {
            t.amount = 0;
        }
    };
    assert_eq!(refused(emptied), Err(HolderChanged));
    // the first reason wins: a checked-in ticket of a cancelled event says checked_in
    assert_eq!(
        refused(|d| {
            ticket(d).state = TicketState::CheckedIn;
            event(d).cancelled = true
        }),
        Err(CheckedIn)
    );
}

#[test]
fn the_mirror_decides_in_its_own_order() {
    use Refusal::*;
    assert_eq!(admit_mirrored(TicketState::Valid, false, true), Ok(()));
    assert_eq!(
        admit_mirrored(TicketState::CheckedIn, true, true),
        Err(EventCancelled)
    );
    assert_eq!(
        admit_mirrored(TicketState::CheckedIn, false, false),
        Err(CheckedIn)
    );
    assert_eq!(
        admit_mirrored(TicketState::Refunded, false, true),
        Err(Refunded)
    );
    assert_eq!(
        admit_mirrored(TicketState::Valid, false, false),
        Err(HolderChanged)
    );
}

#[test]
fn refusal_names_are_one_spelling_for_serde_display_and_the_table() {
    for (r, name) in Refusal::NAMES {
        assert_eq!(r.to_string(), *name);
        assert_eq!(r.name(), *name);
        assert_eq!(serde_json::to_value(r).ok(), Some(serde_json::json!(name)));
        assert_eq!(Refusal::parse(name), Ok(*r));
    }
    assert_eq!(Refusal::NAMES.len(), 16);
}

fn bytes<T: AccountSerialize>(account: &T) -> Vec<u8> {
    let mut data = vec![];
    account.try_serialize(&mut data).expect("serialize");
    data
}

#[test]
fn the_accounts_decode_from_their_bytes_and_owners() {
    let d = door();
    let token = SplAccount {
        mint: d.claim.mint,
        owner: d.claim.holder,
        amount: 1,
        state: AccountState::Frozen,
        ..SplAccount::default()
    };
    let mut token_data = vec![0; SplAccount::LEN];
    SplAccount::pack(token, &mut token_data).expect("pack");
    let clock_data = bincode::serialize(&Clock {
        unix_timestamp: 60,
        ..Clock::default()
    })
    .expect("clock");
    let (ticket, event, org) = (
        bytes(d.seen.ticket.as_ref().expect("ticket")),
        bytes(d.seen.event.as_ref().expect("event")),
        bytes(d.seen.organizer.as_ref().expect("organizer")),
    );
    let (program, token_program, sysvar) = (PROGRAM_ID, crate::TICKET_TOKEN, crate::SYSVAR);
    let raw = [
        Some((&program, ticket.as_slice())),
        Some((&token_program, token_data.as_slice())),
        Some((&program, event.as_slice())),
        Some((&program, org.as_slice())),
        Some((&sysvar, clock_data.as_slice())),
    ];
    let seen = Seen::decode(raw).expect("clock");
    assert_eq!(seen.now, 60);
    assert_eq!(admit(&d.claim, &seen), Ok(()));
    assert_eq!(keys(&d.claim)[0], ticket_pda(&d.claim.mint));
    assert_eq!(keys(&d.claim)[4], CLOCK);
    // a ticket's bytes under another owner are a forgery: no ticket
    let stranger = Address::new_unique();
    let mut forged = raw;
    forged[0] = Some((&stranger, ticket.as_slice()));
    let seen = Seen::decode(forged).expect("clock");
    assert_eq!(admit(&d.claim, &seen), Err(Refusal::NotOnChain));
    // an event's bytes where the ticket belongs do not decode as a ticket
    let mut swapped = raw;
    swapped[0] = Some((&program, event.as_slice()));
    assert_eq!(
        admit(&d.claim, &Seen::decode(swapped).expect("clock")),
        Err(Refusal::NotOnChain)
    );
    // no clock: the node's fault, not a refusal
    let mut no_clock = raw;
    no_clock[4] = None;
    assert!(Seen::decode(no_clock).is_none());
}
