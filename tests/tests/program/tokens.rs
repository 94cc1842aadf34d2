//! SPL tokens in the vault: fixtures (a USDC-like mint) and withdrawals by proposal.
use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::vault::treasury;

/// A USDC-like mint (6 decimals) with `amount` deposited in the vault's token account.
pub fn usdc_in_vault(h: &mut Harness, org: &Address, amount: u64) -> (Address, Address) {
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    use anchor_spl::token::spl_token::instruction as token_ix;
    let issuer = issuer();
    h.svm
        .airdrop(&issuer.pubkey(), 10 * SOL)
        .expect("fund issuer");
    let mint = Keypair::new();
    let rent = h.svm.minimum_balance_for_rent_exemption(82);
    let create = solana_system_interface_create(&issuer.pubkey(), &mint.pubkey(), rent, 82);
    let init =
        token_ix::initialize_mint2(&TOKEN, &mint.pubkey(), &issuer.pubkey(), None, 6).unwrap();
    let vault = vault_pda(org);
    let vault_ata =
        anchor_spl::associated_token::get_associated_token_address(&vault, &mint.pubkey());
    let open = create_associated_token_account(&issuer.pubkey(), &vault, &mint.pubkey(), &TOKEN);
    let deposit = token_ix::mint_to(
        &TOKEN,
        &mint.pubkey(),
        &vault_ata,
        &issuer.pubkey(),
        &[],
        amount,
    )
    .unwrap();
    let mut ixs = vec![create, init, open];
    if amount > 0 {
        ixs.push(deposit);
    }
    h.send(&ixs, &[&issuer, &mint]).expect("deposit tokens");
    (mint.pubkey(), vault_ata)
}

/// The mint authority of test mints (a fixed key, so later deposits can be minted).
fn issuer() -> Keypair {
    Keypair::new_from_array([7u8; 32])
}

/// A further deposit of `amount` into `to`.
pub fn mint_more(h: &mut Harness, mint: &Address, to: &Address, amount: u64) {
    let issuer = issuer();
    let ix = anchor_spl::token::spl_token::instruction::mint_to(
        &TOKEN,
        mint,
        to,
        &issuer.pubkey(),
        &[],
        amount,
    )
    .unwrap();
    h.send(&[ix], &[&issuer]).expect("mint more");
}

fn solana_system_interface_create(
    from: &Address,
    to: &Address,
    lamports: u64,
    space: u64,
) -> solana_instruction::Instruction {
    let mut data = vec![0u8; 4];
    data.extend_from_slice(&lamports.to_le_bytes());
    data.extend_from_slice(&space.to_le_bytes());
    data.extend_from_slice(TOKEN.as_ref());
    solana_instruction::Instruction {
        program_id: solana_sdk_ids::system_program::ID,
        accounts: vec![
            solana_instruction::AccountMeta::new(*from, true),
            solana_instruction::AccountMeta::new(*to, true),
        ],
        data,
    }
}

pub fn token_account_for(h: &mut Harness, owner: &Address, mint: &Address) -> Address {
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    let payer = h.wallet(SOL);
    h.send(
        &[create_associated_token_account(
            &payer.pubkey(),
            owner,
            mint,
            &TOKEN,
        )],
        &[&payer],
    )
    .expect("open token account");
    anchor_spl::associated_token::get_associated_token_address(owner, mint)
}

#[test]
fn tokens_leave_the_vault_through_a_proposal() {
    let (mut h, t) = treasury();
    let org = t.org();
    let (mint, vault_ata) = usdc_in_vault(&mut h, &org, 5_000_000);
    let supplier = Address::new_unique();
    let dest = token_account_for(&mut h, &supplier, &mint);
    let action = ProposalAction::WithdrawToken {
        mint,
        destination: dest,
        amount: 2_000_000,
    };
    // someone else's token account of the same mint as the "vault" account
    let decoy = token_account_for(&mut h, &t.bob.pubkey(), &mint);
    let (i, r) = h.pass(
        &org,
        action,
        &[&t.bob, &t.carol],
        Outflow::token(decoy, dest, mint),
    );
    assert_err(&r, BitTicketError::VaultTokenMismatch);
    assert_err(
        &h.send(
            &[ix_execute(
                &org,
                i,
                &t.bob.pubkey(),
                Outflow::token(vault_ata, decoy, mint),
            )],
            &[&t.bob],
        ),
        BitTicketError::DestinationMismatch,
    );
    h.send(
        &[ix_execute(
            &org,
            i,
            &t.bob.pubkey(),
            Outflow::token(vault_ata, dest, mint),
        )],
        &[&t.bob],
    )
    .unwrap();
    assert_eq!(h.token(&dest).unwrap().amount, 2_000_000);
    assert_eq!(h.token(&vault_ata).unwrap().amount, 3_000_000);
    // more than the vault holds
    let (_, r) = h.pass(
        &org,
        ProposalAction::WithdrawToken {
            mint,
            destination: dest,
            amount: 3_000_001,
        },
        &[&t.bob, &t.carol],
        Outflow::token(vault_ata, dest, mint),
    );
    assert_err(&r, BitTicketError::InsufficientVaultFunds);
}

#[test]
fn a_fake_token_program_is_refused() {
    let (mut h, t) = treasury();
    let org = t.org();
    let (mint, vault_ata) = usdc_in_vault(&mut h, &org, 5_000_000);
    let dest = token_account_for(&mut h, &Address::new_unique(), &mint);
    let i = h.propose_and_approve(
        &org,
        ProposalAction::WithdrawToken {
            mint,
            destination: dest,
            amount: 1,
        },
        &[&t.bob, &t.carol],
    );
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    let mut ix = ix_execute(
        &org,
        i,
        &t.bob.pubkey(),
        Outflow::token(vault_ata, dest, mint),
    );
    // the token program of execute_token_withdrawal
    ix.accounts[7].pubkey = ATA_PROGRAM;
    assert_anchor(&h.send(&[ix], &[&t.bob]), Anchor::InvalidProgramId);
}
