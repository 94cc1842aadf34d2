//! Organizers and their members: create an organizer (with its vault), add and remove members.
use bitticket::accounts as acc;
use bitticket::instruction as args;
use solana_address::Address;
use solana_instruction::Instruction;

use super::ix;
use crate::pda::*;
use crate::SYSTEM;
pub use bitticket::instructions::OrganizerSetup;

/// A 1-of-1 organizer named `organizer <id>`: the creator alone, every role, no time-lock
/// (tests and the demo; `ix_create_organizer_with` names it and sets up its multisig).
pub fn ix_create_organizer(creator: &Address, id: u64) -> Instruction {
    ix_create_organizer_with(
        creator,
        id,
        OrganizerSetup::single(&format!("organizer {id}")),
    )
}

/// An organizer with its name and its multisig from the start.
pub fn ix_create_organizer_with(creator: &Address, id: u64, setup: OrganizerSetup) -> Instruction {
    ix(
        acc::CreateOrganizer {
            organizer: organizer_pda(creator, id),
            vault: vault_pda(&organizer_pda(creator, id)),
            creator: *creator,
            system_program: SYSTEM,
        },
        args::CreateOrganizer {
            organizer_id: id,
            setup,
        },
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
