//! Tickets: purchase, transfer, check-in at the door, refund.
use bitticket::accounts as acc;
use bitticket::instruction as args;
use solana_address::Address;
use solana_instruction::Instruction;

use super::ix;
use crate::pda::*;
use crate::{ATA_PROGRAM, SYSTEM, TICKET_TOKEN};

/// A purchase that agrees to pay at most `max_price` lamports.
pub fn ix_purchase_at_most(
    buyer: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
    max_price: u64,
) -> Instruction {
    ix(
        acc::Purchase {
            buyer: *buyer,
            event: *event,
            shard: shard_pda(event, shard_index),
            buyer_record: buyer_pda(event, buyer),
            mint: *mint,
            buyer_token: ata(buyer, mint),
            ticket: ticket_pda(mint),
            token_program: TICKET_TOKEN,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM,
        },
        args::Purchase {
            bumps: ticket_bumps(event, buyer, mint),
            max_price,
        },
    )
}

/// A purchase at whatever price (`u64::MAX` as the most the buyer agrees to pay).
pub fn ix_purchase(
    buyer: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
) -> Instruction {
    ix_purchase_at_most(buyer, event, shard_index, mint, u64::MAX)
}

pub fn ix_transfer_ticket(
    holder: &Address,
    recipient: &Address,
    event: &Address,
    mint: &Address,
) -> Instruction {
    ix(
        acc::TransferTicket {
            holder: *holder,
            recipient: *recipient,
            event: *event,
            ticket: ticket_pda(mint),
            mint: *mint,
            from_token: ata(holder, mint),
            to_token: ata(recipient, mint),
            token_program: TICKET_TOKEN,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM,
        },
        args::TransferTicket {},
    )
}

pub fn ix_check_in(
    gatekeeper: &Address,
    holder: &Address,
    organizer: &Address,
    event: &Address,
    mint: &Address,
    expires_at: i64,
) -> Instruction {
    ix(
        acc::CheckIn {
            gatekeeper: *gatekeeper,
            holder: *holder,
            organizer: *organizer,
            event: *event,
            mint: *mint,
            ticket: ticket_pda(mint),
            holder_token: ata(holder, mint),
            instructions: solana_sdk_ids::sysvar::instructions::ID,
        },
        args::CheckIn { expires_at },
    )
}

pub fn ix_claim_refund(
    holder: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
) -> Instruction {
    ix_claim_refund_in(holder, event, shard_index, mint, None)
}

/// A refund of a ticket priced in `currency`, into the holder's associated account in it
/// (SOL for `None`).
pub fn ix_claim_refund_in(
    holder: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
    currency: Option<TokenCurrency>,
) -> Instruction {
    let shard = shard_pda(event, shard_index);
    ix(
        acc::ClaimRefund {
            holder: *holder,
            event: *event,
            shard,
            mint: *mint,
            ticket: ticket_pda(mint),
            holder_token: ata(holder, mint),
            currency_mint: currency.map(|c| c.mint),
            till: currency.map(|c| c.account(&shard)),
            holder_currency: currency.map(|c| c.account(holder)),
            currency_program: currency.map(|c| c.program),
        },
        args::ClaimRefund {},
    )
}

/// What `burn_ticket` closes for `holder`'s ticket of `mint`, its rent going to the holder:
/// the mint, the holder's token account and the ticket record.
pub fn burn_closes(holder: &Address, mint: &Address) -> [Address; 3] {
    [*mint, ata(holder, mint), ticket_pda(mint)]
}

/// The holder burns their ticket after the event, taking back the rent of its record, its
/// token account and its mint.
pub fn ix_burn_ticket(holder: &Address, event: &Address, mint: &Address) -> Instruction {
    let ticket = ticket_pda(mint);
    ix(
        acc::BurnTicket {
            holder: *holder,
            event: *event,
            mint: *mint,
            ticket,
            holder_token: ata(holder, mint),
            listing: listing_pda(&ticket),
            token_program: TICKET_TOKEN,
        },
        args::BurnTicket {},
    )
}

/// Closes `buyer`'s record of `event` after the event, its rent going back to the buyer.
pub fn ix_close_buyer_record(event: &Address, buyer: &Address) -> Instruction {
    ix(
        acc::CloseBuyerRecord {
            event: *event,
            buyer_record: buyer_pda(event, buyer),
            buyer: *buyer,
        },
        args::CloseBuyerRecord {},
    )
}
