//! The resale market: its terms, listing, delisting and buying a listing.
use bitticket::accounts as acc;
use bitticket::instruction as args;
use bitticket::state::ResaleTerms;
use solana_address::Address;
use solana_instruction::Instruction;

use super::ix;
use crate::pda::*;
use crate::{ATA_PROGRAM, SYSTEM, TICKET_TOKEN};

pub fn ix_set_resale_terms(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    terms: ResaleTerms,
) -> Instruction {
    ix(
        acc::SetResaleTerms {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::SetResaleTerms { terms },
    )
}

/// The holder of the ticket of `mint` lists it at `price` lamports.
pub fn ix_list_ticket(
    seller: &Address,
    event: &Address,
    mint: &Address,
    price: u64,
) -> Instruction {
    let ticket = ticket_pda(mint);
    ix(
        acc::ListTicket {
            seller: *seller,
            event: *event,
            ticket,
            mint: *mint,
            seller_token: ata(seller, mint),
            listing: listing_pda(&ticket),
            token_program: TICKET_TOKEN,
            system_program: SYSTEM,
        },
        args::ListTicket { price },
    )
}

/// Takes down the listing of the ticket of `mint` (its seller's, or anyone's once void).
pub fn ix_delist_ticket(
    closer: &Address,
    seller: &Address,
    event: &Address,
    mint: &Address,
) -> Instruction {
    let ticket = ticket_pda(mint);
    ix(
        acc::DelistTicket {
            closer: *closer,
            seller: *seller,
            event: *event,
            mint: *mint,
            ticket,
            listing: listing_pda(&ticket),
        },
        args::DelistTicket {},
    )
}

/// Buys the listing of the ticket of `mint`, sold by `shard_index`, paying at most
/// `max_price` lamports.
pub fn ix_buy_listing(
    buyer: &Address,
    seller: &Address,
    event: &Address,
    mint: &Address,
    shard_index: u8,
    max_price: u64,
) -> Instruction {
    ix_buy_listing_in(buyer, seller, event, mint, shard_index, max_price, None)
}

/// As `ix_buy_listing`, for a ticket priced in `currency`: the price moves between the
/// buyer's and the seller's associated accounts in it, the royalty into the shard's.
pub fn ix_buy_listing_in(
    buyer: &Address,
    seller: &Address,
    event: &Address,
    mint: &Address,
    shard_index: u8,
    max_price: u64,
    currency: Option<TokenCurrency>,
) -> Instruction {
    let ticket = ticket_pda(mint);
    let shard = shard_pda(event, shard_index);
    ix(
        acc::BuyListing {
            buyer: *buyer,
            seller: *seller,
            event: *event,
            shard,
            ticket,
            mint: *mint,
            listing: listing_pda(&ticket),
            seller_token: ata(seller, mint),
            buyer_token: ata(buyer, mint),
            token_program: TICKET_TOKEN,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM,
            currency_mint: currency.map(|c| c.mint),
            buyer_currency: currency.map(|c| c.account(buyer)),
            seller_currency: currency.map(|c| c.account(seller)),
            till: currency.map(|c| c.account(&shard)),
            currency_program: currency.map(|c| c.program),
        },
        args::BuyListing { max_price },
    )
}
