//! One builder per instruction, from the program crate's own Anchor client types
//! (`bitticket::accounts`, `bitticket::instruction`), one file per account family. The
//! result is a plain `Instruction`: LiteSVM, an `RpcClient` or any other sender signs and
//! sends it.
use anchor_lang::{InstructionData, ToAccountMetas};
use bitticket::ID as PROGRAM_ID;
use solana_instruction::Instruction;

mod currency;
mod event;
mod market;
mod organizer;
mod ticket;
mod tier;
mod vault;

pub use currency::*;
pub use event::*;
pub use market::*;
pub use organizer::*;
pub use ticket::*;
pub use tier::*;
pub use vault::*;

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}
