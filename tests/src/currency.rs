//! Currencies for tiers priced in an SPL mint: USDC-like 6-decimal mints under SPL Token
//! or Token-2022 (with one extension a test names), token accounts and deposits.
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::instruction as t22;
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::TokenAccount;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::*;

/// A mint extension a test gives its currency.
#[derive(Clone, Copy, PartialEq)]
pub enum Ext {
    None,
    MetadataPointer,
    TransferFee,
    TransferHook,
    PermanentDelegate,
}

pub fn issuer() -> Keypair {
    Keypair::new_from_array([9u8; 32])
}

/// A 6-decimal mint under `program` with `ext`, its mint authority `issuer()`.
pub fn new_currency(h: &mut Harness, program: Address, ext: Ext) -> TokenCurrency {
    let issuer = issuer();
    h.svm.airdrop(&issuer.pubkey(), 10 * SOL).unwrap();
    let mint = Keypair::new();
    let m = mint.pubkey();
    let types: Vec<ExtensionType> = match ext {
        Ext::None => vec![],
        Ext::MetadataPointer => vec![ExtensionType::MetadataPointer],
        Ext::TransferFee => vec![ExtensionType::TransferFeeConfig],
        Ext::TransferHook => vec![ExtensionType::TransferHook],
        Ext::PermanentDelegate => vec![ExtensionType::PermanentDelegate],
    };
    let space = ExtensionType::try_calculate_account_len::<MintState>(&types).unwrap();
    let mut create = Instruction {
        program_id: solana_sdk_ids::system_program::ID,
        accounts: vec![
            solana_instruction::AccountMeta::new(issuer.pubkey(), true),
            solana_instruction::AccountMeta::new(m, true),
        ],
        data: vec![0u8; 4],
    };
    let rent = h.svm.minimum_balance_for_rent_exemption(space);
    create.data.extend_from_slice(&rent.to_le_bytes());
    create.data.extend_from_slice(&(space as u64).to_le_bytes());
    create.data.extend_from_slice(program.as_ref());
    let a = issuer.pubkey();
    let mut ixs = vec![create];
    use anchor_spl::token_2022::spl_token_2022::extension as x;
    match ext {
        Ext::None => {}
        Ext::MetadataPointer => ixs.push(
            x::metadata_pointer::instruction::initialize(&program, &m, Some(a), Some(m)).unwrap(),
        ),
        Ext::TransferFee => ixs.push(
            x::transfer_fee::instruction::initialize_transfer_fee_config(
                &program,
                &m,
                Some(&a),
                Some(&a),
                100,
                u64::MAX,
            )
            .unwrap(),
        ),
        Ext::TransferHook => ixs.push(
            x::transfer_hook::instruction::initialize(&program, &m, Some(a), Some(PROGRAM_ID))
                .unwrap(),
        ),
        Ext::PermanentDelegate => {
            ixs.push(t22::initialize_permanent_delegate(&program, &m, &a).unwrap())
        }
    }
    ixs.push(t22::initialize_mint2(&program, &m, &a, None, 6).unwrap());
    h.send(&ixs, &[&issuer, &mint])
        .expect("create the currency");
    TokenCurrency { mint: m, program }
}

/// Opens `owner`'s associated account in `c` (paid by the issuer).
pub fn open_account(h: &mut Harness, c: &TokenCurrency, owner: &Address) -> Address {
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
    let issuer = issuer();
    let ix =
        create_associated_token_account_idempotent(&issuer.pubkey(), owner, &c.mint, &c.program);
    h.send(&[ix], &[&issuer]).expect("open a token account");
    c.account(owner)
}

/// `amount` of `c` minted into `owner`'s associated account.
pub fn fund(h: &mut Harness, c: &TokenCurrency, owner: &Address, amount: u64) -> Address {
    let to = open_account(h, c, owner);
    let issuer = issuer();
    let ix = t22::mint_to(&c.program, &c.mint, &to, &issuer.pubkey(), &[], amount).unwrap();
    h.send(&[ix], &[&issuer]).expect("mint");
    to
}

pub fn balance(h: &Harness, account: &Address) -> u64 {
    let data = h.svm.get_account(account).expect("token account").data;
    <TokenAccount as anchor_lang::AccountDeserialize>::try_deserialize(&mut &data[..])
        .expect("a token account")
        .amount
}
