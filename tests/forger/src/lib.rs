//! A hostile program for the indexer's tests: `forge(data)` logs `data` with
//! `sol_log_data`, exactly as Anchor's `emit!` does, so it can print a byte-perfect copy
//! of a BitTicket event. The indexer must ignore it: the line is not our program's.
use anchor_lang::prelude::*;

declare_id!("3yKUa5WFZxyWwwdVHMnaYSsHHwFSH7C38KBKrPLHMAgg");

#[program]
pub mod forger {
    use super::*;

    pub fn forge(_ctx: Context<Forge>, data: Vec<u8>) -> Result<()> {
        anchor_lang::solana_program::log::sol_log_data(&[&data]);
        Ok(())
    }
}

#[derive(Accounts)]
pub struct Forge {}
