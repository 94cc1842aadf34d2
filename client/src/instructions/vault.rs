//! The multisig vault: proposals, votes, execution, spending limits and outflows.
use bitticket::accounts as acc;
use bitticket::instruction as args;
use bitticket::state::{ProposalAction, Vote};
use solana_address::Address;
use solana_instruction::Instruction;

use super::ix;
use crate::pda::*;
use crate::{SYSTEM, TOKEN};

pub fn ix_create_proposal(
    organizer: &Address,
    proposer: &Address,
    index: u64,
    action: ProposalAction,
) -> Instruction {
    ix(
        acc::CreateProposal {
            organizer: *organizer,
            proposal: proposal_pda(organizer, index),
            proposer: *proposer,
            system_program: SYSTEM,
        },
        args::CreateProposal { index, action },
    )
}

pub fn ix_vote(organizer: &Address, index: u64, member: &Address, vote: Vote) -> Instruction {
    let accounts = acc::VoteOnProposal {
        organizer: *organizer,
        proposal: proposal_pda(organizer, index),
        member: *member,
    };
    match vote {
        Vote::Approve => ix(accounts, args::ApproveProposal { index }),
        Vote::Reject => ix(accounts, args::RejectProposal { index }),
        Vote::Cancel => ix(accounts, args::CancelProposal { index }),
    }
}

/// Closes a finished or stale proposal; its rent goes back to `proposer`, who paid it.
pub fn ix_close_proposal(organizer: &Address, index: u64, proposer: &Address) -> Instruction {
    ix(
        acc::CloseProposal {
            organizer: *organizer,
            proposal: proposal_pda(organizer, index),
            proposer: *proposer,
        },
        args::CloseProposal { index },
    )
}

/// An admin or finance member freezes spending limit `limit_id`.
pub fn ix_freeze_spending_limit(
    organizer: &Address,
    member: &Address,
    limit_id: u8,
) -> Instruction {
    ix(
        acc::FreezeSpendingLimit {
            organizer: *organizer,
            member: *member,
        },
        args::FreezeSpendingLimit { limit_id },
    )
}

/// Where an outflow from the vault goes: a wallet (SOL), or token accounts of a mint.
/// It picks the instruction: `execute_withdrawal` / `spend` for SOL,
/// `execute_token_withdrawal` / `spend_token` for tokens.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outflow {
    /// SOL: the receiving wallet.
    pub destination: Option<Address>,
    /// Tokens: vault's token account, destination token account, mint.
    pub tokens: Option<(Address, Address, Address)>,
    /// The token program of the mint: SPL Token unless set (Token-2022).
    pub token_program: Option<Address>,
}

impl Outflow {
    pub fn sol(destination: Address) -> Self {
        Self {
            destination: Some(destination),
            ..Self::default()
        }
    }
    pub fn token(vault_token: Address, destination_token: Address, mint: Address) -> Self {
        Self {
            tokens: Some((vault_token, destination_token, mint)),
            ..Self::default()
        }
    }
    /// The same token outflow through another token program (Token-2022).
    pub fn through(self, token_program: Address) -> Self {
        Self {
            token_program: Some(token_program),
            ..self
        }
    }
    fn program(&self) -> Address {
        self.token_program.unwrap_or(TOKEN)
    }
}

pub fn ix_execute(
    organizer: &Address,
    index: u64,
    executor: &Address,
    out: Outflow,
) -> Instruction {
    ix_execute_on(organizer, index, executor, None, out)
}

/// Executes a proposal with the instruction its kind needs: `event` for an event action
/// (`execute_event_action`), `out` for a withdrawal (`execute_withdrawal`,
/// `execute_token_withdrawal`), neither for a configuration change (`execute_proposal`).
pub fn ix_execute_on(
    organizer: &Address,
    index: u64,
    executor: &Address,
    event: Option<Address>,
    out: Outflow,
) -> Instruction {
    let (organizer, executor) = (*organizer, *executor);
    let proposal = proposal_pda(&organizer, index);
    if let Some(event) = event {
        return ix(
            acc::ExecuteEventAction {
                organizer,
                proposal,
                executor,
                event,
            },
            args::ExecuteEventAction { index },
        );
    }
    let vault = vault_pda(&organizer);
    if let Some((vault_token, destination_token, mint)) = out.tokens {
        return ix(
            acc::ExecuteTokenWithdrawal {
                organizer,
                proposal,
                executor,
                vault,
                vault_token,
                destination_token,
                mint,
                token_program: out.program(),
            },
            args::ExecuteTokenWithdrawal { index },
        );
    }
    if let Some(destination) = out.destination {
        return ix(
            acc::ExecuteWithdrawal {
                organizer,
                proposal,
                executor,
                vault,
                destination,
                system_program: SYSTEM,
            },
            args::ExecuteWithdrawal { index },
        );
    }
    ix(
        acc::ExecuteProposal {
            organizer,
            proposal,
            executor,
        },
        args::ExecuteProposal { index },
    )
}

/// Spends through limit `limit_id`: `spend_token` when `out` names token accounts,
/// `spend` (SOL) otherwise, to `out.destination` (the system program's id if none, which
/// the program refuses unless a limit allows it).
pub fn ix_spend(
    organizer: &Address,
    member: &Address,
    limit_id: u8,
    amount: u64,
    out: Outflow,
) -> Instruction {
    let (organizer, member) = (*organizer, *member);
    let vault = vault_pda(&organizer);
    if let Some((vault_token, destination_token, mint)) = out.tokens {
        return ix(
            acc::SpendToken {
                organizer,
                member,
                vault,
                vault_token,
                destination_token,
                mint,
                token_program: out.program(),
            },
            args::SpendToken { limit_id, amount },
        );
    }
    ix(
        acc::Spend {
            organizer,
            member,
            vault,
            destination: out.destination.unwrap_or(SYSTEM),
            system_program: SYSTEM,
        },
        args::Spend { limit_id, amount },
    )
}
