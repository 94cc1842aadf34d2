//! One builder per instruction, from the program crate's own Anchor client types
//! (`bitticket::accounts`, `bitticket::instruction`). The result is a plain `Instruction`:
//! LiteSVM, an `RpcClient` or any other sender signs and sends it.
use anchor_lang::{InstructionData, ToAccountMetas};
use bitticket::accounts as acc;
use bitticket::instruction as args;
use bitticket::state::{EventConfig, ProposalAction, Vote};
use bitticket::ID as PROGRAM_ID;
use solana_address::Address;
use solana_instruction::Instruction;

use crate::pda::*;
use crate::{ATA_PROGRAM, SYSTEM, TOKEN};

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn ix_create_organizer(creator: &Address, id: u64) -> Instruction {
    ix(
        acc::CreateOrganizer {
            organizer: organizer_pda(creator, id),
            vault: vault_pda(&organizer_pda(creator, id)),
            creator: *creator,
            system_program: SYSTEM,
        },
        args::CreateOrganizer { organizer_id: id },
    )
}

pub fn ix_add_member(
    organizer: &Address,
    admin: &Address,
    member: &Address,
    permissions: u8,
) -> Instruction {
    ix(
        acc::AddMember {
            organizer: *organizer,
            admin: *admin,
        },
        args::AddMember {
            member: *member,
            permissions,
        },
    )
}

pub fn ix_remove_member(organizer: &Address, admin: &Address, member: &Address) -> Instruction {
    ix(
        acc::RemoveMember {
            organizer: *organizer,
            admin: *admin,
        },
        args::RemoveMember { member: *member },
    )
}

pub fn ix_create_event(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    config: EventConfig,
    shard_count: u8,
) -> Instruction {
    ix(
        acc::CreateEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
            system_program: SYSTEM,
        },
        args::CreateEvent {
            config,
            shard_count,
        },
    )
}

pub fn ix_update_event(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    config: EventConfig,
) -> Instruction {
    ix(
        acc::UpdateEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::UpdateEvent { config },
    )
}

pub fn ix_open_shard(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    index: u8,
) -> Instruction {
    ix(
        acc::OpenShard {
            organizer: *organizer,
            event: *event,
            shard: shard_pda(event, index),
            manager: *manager,
            system_program: SYSTEM,
        },
        args::OpenShard { index },
    )
}

pub fn ix_set_paused(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    paused: bool,
) -> Instruction {
    ix(
        acc::SetPaused {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::SetPaused { paused },
    )
}

pub fn ix_cancel_event(organizer: &Address, event: &Address, manager: &Address) -> Instruction {
    ix(
        acc::CancelEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::CancelEvent {},
    )
}

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
            token_program: TOKEN,
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
            token_program: TOKEN,
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
        },
        args::CheckIn {},
    )
}

pub fn ix_claim_refund(
    holder: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
) -> Instruction {
    ix(
        acc::ClaimRefund {
            holder: *holder,
            event: *event,
            shard: shard_pda(event, shard_index),
            mint: *mint,
            ticket: ticket_pda(mint),
            holder_token: ata(holder, mint),
        },
        args::ClaimRefund {},
    )
}

pub fn ix_sweep_shard(organizer: &Address, event: &Address, shard_index: u8) -> Instruction {
    ix(
        acc::SweepShard {
            organizer: *organizer,
            event: *event,
            shard: shard_pda(event, shard_index),
            vault: vault_pda(organizer),
        },
        args::SweepShard { index: shard_index },
    )
}

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
