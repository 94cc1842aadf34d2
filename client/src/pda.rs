//! Program addresses, canonical bumps and the purchase's mint choice, as the program
//! derives and checks them.
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use bitticket::constants::*;
use bitticket::instructions::TicketBumps;
use bitticket::ID as PROGRAM_ID;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::{ATA_PROGRAM, TICKET_TOKEN};

pub fn pda(seeds: &[&[u8]]) -> Address {
    Address::find_program_address(seeds, &PROGRAM_ID).0
}
pub fn organizer_pda(creator: &Address, id: u64) -> Address {
    pda(&[SEED_ORGANIZER, creator.as_ref(), &id.to_le_bytes()])
}
pub fn event_pda(organizer: &Address, id: u64) -> Address {
    pda(&[SEED_EVENT, organizer.as_ref(), &id.to_le_bytes()])
}
pub fn shard_pda(event: &Address, index: u8) -> Address {
    pda(&[SEED_SHARD, event.as_ref(), &[index]])
}
pub fn tier_pda(event: &Address, index: u8) -> Address {
    pda(&[SEED_TIER, event.as_ref(), &[index]])
}
pub fn buyer_pda(event: &Address, buyer: &Address) -> Address {
    pda(&[SEED_BUYER, event.as_ref(), buyer.as_ref()])
}
pub fn ticket_pda(mint: &Address) -> Address {
    pda(&[SEED_TICKET, mint.as_ref()])
}
pub fn listing_pda(ticket: &Address) -> Address {
    pda(&[SEED_LISTING, ticket.as_ref()])
}
/// `owner`'s associated token account of the ticket `mint` (under Token-2022, the ticket
/// program; a currency's is `TokenCurrency::account`).
pub fn ata(owner: &Address, mint: &Address) -> Address {
    get_associated_token_address_with_program_id(owner, mint, &TICKET_TOKEN)
}

/// The SPL mint a tier is priced in, with the token program that owns it (SPL Token or
/// Token-2022).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenCurrency {
    pub mint: Address,
    pub program: Address,
}

impl TokenCurrency {
    /// `owner`'s associated token account in this currency (a shard's is its till).
    pub fn account(&self, owner: &Address) -> Address {
        get_associated_token_address_with_program_id(owner, &self.mint, &self.program)
    }
}

fn bump(seeds: &[&[u8]], program: &Address) -> u8 {
    Address::find_program_address(seeds, program).1
}

/// The canonical bumps a client passes to `purchase` (it proves them on chain).
pub fn ticket_bumps(event: &Address, buyer: &Address, mint: &Address) -> TicketBumps {
    TicketBumps {
        ticket: bump(&[SEED_TICKET, mint.as_ref()], &PROGRAM_ID),
        buyer_record: bump(&[SEED_BUYER, event.as_ref(), buyer.as_ref()], &PROGRAM_ID),
    }
}

/// A fresh mint keypair for `buyer`'s next ticket, picked (about 4 tries) so that the
/// ticket PDA and the buyer's associated token account both have bump 255: the purchase
/// then proves the ticket's bump for free and the Associated Token program finds its
/// address in one hash instead of two on average.
pub fn ticket_mint(buyer: &Address) -> Keypair {
    loop {
        let mint = Keypair::new();
        let m = mint.pubkey();
        if bump(&[SEED_TICKET, m.as_ref()], &PROGRAM_ID) == u8::MAX
            && bump(
                &[buyer.as_ref(), TICKET_TOKEN.as_ref(), m.as_ref()],
                &ATA_PROGRAM,
            ) == u8::MAX
        {
            return mint;
        }
    }
}

pub fn vault_pda(organizer: &Address) -> Address {
    pda(&[SEED_VAULT, organizer.as_ref()])
}
pub fn proposal_pda(organizer: &Address, index: u64) -> Address {
    pda(&[SEED_PROPOSAL, organizer.as_ref(), &index.to_le_bytes()])
}
