//! Lean CPIs for the purchase, the hot path of a sale.
//!
//! The SDK builders Anchor's CPI helpers call are costly on chain: building one system
//! `create_account` instruction serializes it with bincode (about 770 CU, measured), and
//! `invoke_signed` compares every account meta with every account info before the call.
//! Here the instruction data is laid out as the System, Token and Associated Token
//! programs define it, and the call goes straight to the runtime, which checks signers,
//! writability and ownership itself. No account data is borrowed across these calls.
use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::invoke_signed_unchecked;

/// Creates `account` owned by `owner` with `space` bytes and at least `lamports`, paid by
/// `payer`; `account` is a transaction signer or signed for by `signer_seeds`.
///
/// Anyone can send lamports to an address before it is created, and the System program's
/// `CreateAccount` refuses an address holding any. Such an address is adopted instead, as
/// Anchor's `init` does: topped up to `lamports`, then `Allocate` and `Assign`, which need
/// the same signature. This works on every cluster, with or without SIMD-0312's
/// `CreateAccountAllowPrefund`. What it held above `lamports` goes back to `payer`. An
/// address that already has data or another owner is refused by `Allocate`, so nothing
/// existing is ever taken over.
pub fn create_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    lamports: u64,
    space: usize,
    owner: &Pubkey,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let current = account.lamports();
    if current == 0 {
        let mut data = Vec::with_capacity(52);
        data.extend_from_slice(&SYSTEM_CREATE_ACCOUNT.to_le_bytes());
        data.extend_from_slice(&lamports.to_le_bytes());
        data.extend_from_slice(&(space as u64).to_le_bytes());
        data.extend_from_slice(owner.as_ref());
        return system(payer, account, data, signer_seeds);
    }
    if let Some(top_up) = lamports.checked_sub(current).filter(|l| *l > 0) {
        let mut data = Vec::with_capacity(12);
        data.extend_from_slice(&SYSTEM_TRANSFER.to_le_bytes());
        data.extend_from_slice(&top_up.to_le_bytes());
        system(payer, account, data, &[])?;
    } else if current > lamports {
        return_surplus(payer, account, current - lamports, signer_seeds)?;
    }
    let allocate = [
        &SYSTEM_ALLOCATE.to_le_bytes()[..],
        &(space as u64).to_le_bytes(),
    ];
    system_by_account(account, allocate.concat(), signer_seeds)?;
    let assign = [&SYSTEM_ASSIGN.to_le_bytes()[..], owner.as_ref()];
    system_by_account(account, assign.concat(), signer_seeds)
}

/// More than it needs was sent ahead to `account`: the surplus goes back to the payer
/// rather than being locked in an account that can never be closed (a mint) or only by
/// this program. Out of line: the purchase's path never takes it.
#[cold]
#[inline(never)]
fn return_surplus<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    surplus: u64,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let mut data = Vec::with_capacity(12);
    data.extend_from_slice(&SYSTEM_TRANSFER.to_le_bytes());
    data.extend_from_slice(&surplus.to_le_bytes());
    invoke(
        anchor_lang::system_program::ID,
        vec![
            AccountMeta::new(account.key(), true),
            AccountMeta::new(payer.key(), false),
        ],
        data,
        &[account.clone(), payer.clone()],
        signer_seeds,
    )
}

/// A System instruction on `account` alone, signed by it (`Allocate`, `Assign`).
fn system_by_account(
    account: &AccountInfo,
    data: Vec<u8>,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    invoke(
        anchor_lang::system_program::ID,
        vec![AccountMeta::new(account.key(), true)],
        data,
        std::slice::from_ref(account),
        signer_seeds,
    )
}

// System instruction tags (bincode: a u32 variant index).
const SYSTEM_CREATE_ACCOUNT: u32 = 0;
const SYSTEM_ASSIGN: u32 = 1;
const SYSTEM_TRANSFER: u32 = 2;
const SYSTEM_ALLOCATE: u32 = 8;

/// A System instruction from `payer` (a transaction signer) to `account`.
fn system<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    data: Vec<u8>,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let signer = !signer_seeds.is_empty() || account.is_signer;
    invoke(
        anchor_lang::system_program::ID,
        vec![
            AccountMeta::new(payer.key(), true),
            AccountMeta::new(account.key(), signer),
        ],
        data,
        &[payer.clone(), account.clone()],
        signer_seeds,
    )
}

/// Token-2022 extensions of a ticket's mint, before `InitializeMint2`: the mint close
/// authority (tag 25), so that the mint's rent comes back once its ticket is burned, and
/// the metadata pointer (tag 39, `Initialize`) to the mint itself, where wallets look for
/// its name, symbol and URI. Both name `authority` (the event PDA).
pub fn initialize_ticket_mint_extensions<'info>(
    mint: &AccountInfo<'info>,
    authority: &Pubkey,
) -> Result<()> {
    let mut close = Vec::with_capacity(34);
    close.extend_from_slice(&[25, 1]);
    close.extend_from_slice(authority.as_ref());
    invoke(
        anchor_spl::token_2022::ID,
        vec![AccountMeta::new(mint.key(), false)],
        close,
        std::slice::from_ref(mint),
        &[],
    )?;
    let mut pointer = Vec::with_capacity(66);
    pointer.extend_from_slice(&[39, 0]);
    pointer.extend_from_slice(authority.as_ref());
    pointer.extend_from_slice(mint.key.as_ref());
    invoke(
        anchor_spl::token_2022::ID,
        vec![AccountMeta::new(mint.key(), false)],
        pointer,
        std::slice::from_ref(mint),
        &[],
    )
}

/// Token `InitializeMint2` (tag 20) under `program`: decimals, mint authority, optional
/// freeze authority.
pub fn initialize_mint2<'info>(
    program: Pubkey,
    mint: &AccountInfo<'info>,
    decimals: u8,
    authority: &Pubkey,
    freeze_authority: &Pubkey,
) -> Result<()> {
    let mut data = Vec::with_capacity(67);
    data.extend_from_slice(&[20, decimals]);
    data.extend_from_slice(authority.as_ref());
    data.push(1);
    data.extend_from_slice(freeze_authority.as_ref());
    invoke(
        program,
        vec![AccountMeta::new(mint.key(), false)],
        data,
        std::slice::from_ref(mint),
        &[],
    )
}

/// Token-2022's token metadata `Initialize` (the SPL token metadata interface) on the mint
/// itself: `name`, `symbol` and `uri`, with `authority` (the event PDA, signing as the
/// mint authority) as the update authority. The mint must already hold the rent of the
/// size this grows it to.
pub fn initialize_token_metadata<'info>(
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    name: &[u8],
    symbol: &[u8],
    uri: &[u8],
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    invoke(
        anchor_spl::token_2022::ID,
        vec![
            AccountMeta::new(mint.key(), false),
            AccountMeta::new_readonly(authority.key(), false),
            AccountMeta::new_readonly(mint.key(), false),
            AccountMeta::new_readonly(authority.key(), true),
        ],
        token_metadata_initialize_data(name, symbol, uri),
        &[mint.clone(), authority.clone()],
        signer_seeds,
    )
}

/// The interface's `Initialize` data: its discriminator, then the three strings in Borsh.
fn token_metadata_initialize_data(name: &[u8], symbol: &[u8], uri: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(8 + 12 + name.len() + symbol.len() + uri.len());
    data.extend_from_slice(&TOKEN_METADATA_INITIALIZE);
    for field in [name, symbol, uri] {
        data.extend_from_slice(&(field.len() as u32).to_le_bytes());
        data.extend_from_slice(field);
    }
    data
}

/// The first 8 bytes of SHA-256("spl_token_metadata_interface:initialize_account"), the
/// interface's `Initialize` discriminator (a unit test checks the data against the crate's).
const TOKEN_METADATA_INITIALIZE: [u8; 8] = [210, 225, 30, 162, 88, 184, 77, 141];

/// Associated Token `Create` (tag 0): payer, associated account, wallet, mint, System and
/// Token programs. The Associated Token program derives the address itself.
pub fn create_associated_token_account<'info>(
    payer: &AccountInfo<'info>,
    associated: &AccountInfo<'info>,
    wallet: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
) -> Result<()> {
    invoke(
        anchor_spl::associated_token::ID,
        vec![
            AccountMeta::new(payer.key(), true),
            AccountMeta::new(associated.key(), false),
            AccountMeta::new_readonly(wallet.key(), false),
            AccountMeta::new_readonly(mint.key(), false),
            AccountMeta::new_readonly(system_program.key(), false),
            AccountMeta::new_readonly(token_program.key(), false),
        ],
        vec![0],
        &[
            payer.clone(),
            associated.clone(),
            wallet.clone(),
            mint.clone(),
            system_program.clone(),
            token_program.clone(),
        ],
        &[],
    )
}

/// Token-2022 `MintTo` (tag 7) of `amount`, then `FreezeAccount` (tag 10), both signed by
/// the mint's authority, which is also its freeze authority.
pub fn mint_to_and_freeze<'info>(
    mint: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let mut data = Vec::with_capacity(9);
    data.push(7);
    data.extend_from_slice(&amount.to_le_bytes());
    invoke(
        anchor_spl::token_2022::ID,
        vec![
            AccountMeta::new(mint.key(), false),
            AccountMeta::new(account.key(), false),
            AccountMeta::new_readonly(authority.key(), true),
        ],
        data,
        &[mint.clone(), account.clone(), authority.clone()],
        signer_seeds,
    )?;
    invoke(
        anchor_spl::token_2022::ID,
        vec![
            AccountMeta::new(account.key(), false),
            AccountMeta::new_readonly(mint.key(), false),
            AccountMeta::new_readonly(authority.key(), true),
        ],
        vec![10],
        &[account.clone(), mint.clone(), authority.clone()],
        signer_seeds,
    )
}

/// Token `TransferChecked` (tag 12) of `amount` with the mint's `decimals`, from `from` to
/// `to`, signed by `authority` (a transaction signer, or a PDA by `signer_seeds`), under
/// `program` (SPL Token or Token-2022, which checks the accounts' mint and owner).
#[allow(clippy::too_many_arguments)]
pub fn transfer_checked<'info>(
    program: Pubkey,
    from: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
    decimals: u8,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let mut data = Vec::with_capacity(10);
    data.push(12);
    data.extend_from_slice(&amount.to_le_bytes());
    data.push(decimals);
    invoke(
        program,
        vec![
            AccountMeta::new(from.key(), false),
            AccountMeta::new_readonly(mint.key(), false),
            AccountMeta::new(to.key(), false),
            AccountMeta::new_readonly(authority.key(), true),
        ],
        data,
        &[from.clone(), mint.clone(), to.clone(), authority.clone()],
        signer_seeds,
    )
}

fn invoke(
    program_id: Pubkey,
    accounts: Vec<AccountMeta>,
    data: Vec<u8>,
    infos: &[AccountInfo],
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let ix = Instruction {
        program_id,
        accounts,
        data,
    };
    invoke_signed_unchecked(&ix, infos, signer_seeds).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use anchor_spl::token_2022_extensions::spl_token_metadata_interface::instruction::initialize;

    #[test]
    fn the_metadata_initialize_data_is_the_interfaces() {
        let key = anchor_lang::prelude::Pubkey::new_unique();
        let ix = initialize(
            &key,
            &key,
            &key,
            &key,
            &key,
            "Launch #7".into(),
            "TIX".into(),
            "https://x.example/7".into(),
        );
        assert_eq!(
            super::token_metadata_initialize_data(b"Launch #7", b"TIX", b"https://x.example/7"),
            ix.data
        );
    }
}
