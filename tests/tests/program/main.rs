//! The bitticket program as real sBPF in LiteSVM, with the real SPL Token and ATA programs.
//!
//! Attack classes of coral-xyz/sealevel-attacks, and where each is covered:
//! missing signer, owner checks, type cosplay, reinitialisation, arbitrary CPI, duplicate
//! mutable accounts, bump canonicalisation, PDA sharing, overflow: tests named after them in
//! each instruction's module. Sysvar spoofing does not apply: the program reads Clock and
//! Rent through syscalls, never from a passed account. Closing: `close_proposal` (review2:
//! a closed proposal's index never comes back, its rent goes to its proposer only),
//! `burn_ticket`, `close_buyer_record` and `close_shard` (burn, currency: rent to the holder,
//! buyer or opener only; a closed shard never reopens).
mod burn;
mod check_in;
mod currency;
mod event;
mod governance;
mod interface;
mod invariant;
mod market;
mod organizer;
mod proposals;
mod purchase;
mod refund;
mod review2;
mod spending;
mod tiers;
mod tokens;
mod transfer;
mod vault;

use bitticket_tests::*;
use solana_account::Account;
use solana_address::Address;

/// Copies an account's data into a new address owned by `owner` (for owner-check attacks).
pub fn clone_with_owner(h: &mut Harness, from: &Address, owner: Address) -> Address {
    let mut acc = h.svm.get_account(from).expect("source account");
    acc.owner = owner;
    let key = Address::new_unique();
    h.svm
        .set_account(key, Account { ..acc })
        .expect("set forged account");
    key
}

/// Rewrites a program account's data in place (for states the program itself never reaches).
pub fn rewrite<T: anchor_lang::AccountSerialize>(h: &mut Harness, key: &Address, value: &T) {
    let mut acc = h.svm.get_account(key).expect("account");
    let mut data = Vec::new();
    value.try_serialize(&mut data).expect("serialize");
    data.resize(acc.data.len(), 0);
    acc.data = data;
    h.svm.set_account(*key, acc).expect("set account");
}

/// A PDA of the program for `seeds` with a valid but non-canonical bump.
pub fn non_canonical_pda(seeds: &[&[u8]]) -> Address {
    non_canonical_bump(seeds)
        .expect("some lower bump is off-curve")
        .0
}

/// The highest valid bump of `seeds` below the canonical one, with its address, if any.
pub fn non_canonical_bump(seeds: &[&[u8]]) -> Option<(Address, u8)> {
    let (_, canonical) = Address::find_program_address(seeds, &PROGRAM_ID);
    (0..canonical).rev().find_map(|b| {
        let mut s = seeds.to_vec();
        let bump = [b];
        s.push(&bump);
        Address::create_program_address(&s, &PROGRAM_ID)
            .ok()
            .map(|a| (a, b))
    })
}
