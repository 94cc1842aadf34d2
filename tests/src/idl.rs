//! What Anchor's IDL builder cannot see, added to the IDL so that a standard client
//! (`@anchor-lang/core`) can decode every account and derive every address.
//!
//! - `BuyerRecord`: the purchase reads and creates it through an unchecked account (to
//!   save compute units), so no instruction names its type.
//! - The purchase's `buyer_record`, `ticket` and `buyer_token`: the program proves these
//!   addresses itself (canonical bumps, the ATA program's own derivation) instead of with
//!   a `seeds` constraint, which would cost a `find_program_address` each.
//! - `purchase_tier_token`'s `buyer_currency` and `till`: any token account of the buyer
//!   and of the shard in the currency will do on chain; clients use the associated ones.
//! - `buy_listing`'s `shard`, `ticket`, `listing`, `seller_token` and `buyer_token`: the
//!   program binds them by what they hold (`has_one`, the ticket's shard index, the token
//!   accounts' owner and mint; a new buyer account is created by the ATA program, which
//!   derives it) instead of deriving their addresses again; a client derives them as their
//!   PDAs (the token accounts as the associated ones).
//! - The purchases' `tier` and `shard`: read at fixed offsets (`TierHead`,
//!   `Shard::load_for_sale`, which check their event as `has_one = event` did) instead of
//!   as `Account`s, so the builder sees no relation to the event; it is added back, and a
//!   client resolves the event from them as before.
use anchor_lang::Discriminator;
use anchor_lang_idl::types::{
    Idl, IdlAccount, IdlArrayLen, IdlDefinedFields, IdlField, IdlInstructionAccount,
    IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedAccount, IdlSeedConst, IdlType, IdlTypeDef,
    IdlTypeDefTy,
};
use bitticket::constants::{MAX_TIERS, SEED_BUYER, SEED_LISTING, SEED_SHARD, SEED_TICKET};
use bitticket::state::BuyerRecord;

#[derive(Debug, thiserror::Error)]
pub enum IdlError {
    #[error("the IDL has no instruction `{0}`")]
    NoInstruction(&'static str),
    #[error("instruction `{0}` has no account `{1}`")]
    NoAccount(&'static str, &'static str),
}

pub fn complete_idl(idl: &mut Idl) -> Result<(), IdlError> {
    if !idl.accounts.iter().any(|a| a.name == "BuyerRecord") {
        idl.accounts.push(IdlAccount {
            name: "BuyerRecord".into(),
            discriminator: BuyerRecord::DISCRIMINATOR.to_vec(),
        });
        idl.accounts.sort_by(|a, b| a.name.cmp(&b.name));
        idl.types.push(buyer_record_type());
        idl.types.push(tier_purchases_type());
        idl.types.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let account = |path: &str| {
        IdlSeed::Account(IdlSeedAccount {
            path: path.into(),
            account: None,
        })
    };
    let constant = |value: &[u8]| {
        IdlSeed::Const(IdlSeedConst {
            value: value.to_vec(),
        })
    };
    let ata_of = |owner: &str| IdlPda {
        seeds: vec![account(owner), account("token_program"), account("mint")],
        program: Some(constant(anchor_spl::associated_token::ID.as_ref())),
    };
    let ticket_of_mint = || IdlPda {
        seeds: vec![constant(SEED_TICKET), account("mint")],
        program: None,
    };
    set_pda(
        idl,
        "buy_listing",
        "shard",
        IdlPda {
            seeds: vec![
                constant(SEED_SHARD),
                account("event"),
                IdlSeed::Account(IdlSeedAccount {
                    path: "ticket.shard_index".into(),
                    account: Some("Ticket".into()),
                }),
            ],
            program: None,
        },
    )?;
    set_pda(idl, "buy_listing", "ticket", ticket_of_mint())?;
    set_pda(
        idl,
        "buy_listing",
        "listing",
        IdlPda {
            seeds: vec![constant(SEED_LISTING), account("ticket")],
            program: None,
        },
    )?;
    set_pda(idl, "buy_listing", "seller_token", ata_of("seller"))?;
    set_pda(idl, "buy_listing", "buyer_token", ata_of("buyer"))?;
    // a token purchase pays from the buyer's associated account in the currency into the
    // shard's (its till)
    let currency_ata_of = |owner: &str| IdlPda {
        seeds: vec![
            account(owner),
            account("currency_program"),
            account("currency_mint"),
        ],
        program: Some(constant(anchor_spl::associated_token::ID.as_ref())),
    };
    set_pda(
        idl,
        "purchase_tier_token",
        "buyer_currency",
        currency_ata_of("buyer"),
    )?;
    set_pda(idl, "purchase_tier_token", "till", currency_ata_of("shard"))?;
    // the sales create the same accounts
    for purchase in ["purchase", "purchase_tier", "purchase_tier_token"] {
        set_pda(
            idl,
            purchase,
            "buyer_record",
            IdlPda {
                seeds: vec![constant(SEED_BUYER), account("event"), account("buyer")],
                program: None,
            },
        )?;
        set_pda(idl, purchase, "ticket", ticket_of_mint())?;
        set_pda(idl, purchase, "buyer_token", ata_of("buyer"))?;
    }
    set_relations(idl, "purchase", "event", &["shard"])?;
    for purchase in ["purchase_tier", "purchase_tier_token"] {
        set_relations(idl, purchase, "event", &["tier", "shard"])?;
    }
    Ok(())
}

/// Instruction `instruction`'s account `name` is the one `accounts` name in their field of
/// that name (what `has_one` makes the IDL builder say).
fn set_relations(
    idl: &mut Idl,
    instruction: &'static str,
    name: &'static str,
    accounts: &[&str],
) -> Result<(), IdlError> {
    let account = single_account(idl, instruction, name)?;
    account.relations = accounts.iter().map(|a| a.to_string()).collect();
    Ok(())
}

/// `BuyerRecord`'s fields in declaration order (a test checks the size against the type).
fn buyer_record_type() -> IdlTypeDef {
    let field = |name: &str, docs: &str, ty| IdlField {
        name: name.into(),
        docs: vec![docs.into()],
        ty,
    };
    IdlTypeDef {
        name: "BuyerRecord".into(),
        docs: vec![
            "Tickets one wallet bought for one event; written only by that wallet's purchases."
                .into(),
            "PDA: [\"buyer\", event, buyer].".into(),
        ],
        serialization: Default::default(),
        repr: None,
        generics: vec![],
        ty: IdlTypeDefTy::Struct {
            fields: Some(IdlDefinedFields::Named(vec![
                field(
                    "version",
                    "Layout version (`ACCOUNT_VERSION`).",
                    IdlType::U8,
                ),
                field("event", "The event.", IdlType::Pubkey),
                field("buyer", "The buying wallet.", IdlType::Pubkey),
                field("purchased", "Tickets bought so far.", IdlType::U16),
                field("bump", "Canonical bump of the PDA.", IdlType::U8),
                field(
                    "tiers",
                    "Of those, what was bought of each tier (by tier index).",
                    IdlType::Array(
                        Box::new(IdlType::Defined {
                            name: "TierPurchases".into(),
                            generics: vec![],
                        }),
                        IdlArrayLen::Value(usize::from(MAX_TIERS)),
                    ),
                ),
            ])),
        },
    }
}

/// `TierPurchases`'s fields in declaration order.
fn tier_purchases_type() -> IdlTypeDef {
    let field = |name: &str, docs: &str, ty| IdlField {
        name: name.into(),
        docs: vec![docs.into()],
        ty,
    };
    IdlTypeDef {
        name: "TierPurchases".into(),
        docs: vec!["What one wallet bought of one tier.".into()],
        serialization: Default::default(),
        repr: None,
        generics: vec![],
        ty: IdlTypeDefTy::Struct {
            fields: Some(IdlDefinedFields::Named(vec![
                field(
                    "bought",
                    "Tickets of the tier, over all its phases.",
                    IdlType::U16,
                ),
                field("phase", "The phase it last bought in.", IdlType::U8),
                field("in_phase", "Tickets bought in that phase.", IdlType::U16),
            ])),
        },
    }
}

fn set_pda(
    idl: &mut Idl,
    instruction: &'static str,
    name: &'static str,
    pda: IdlPda,
) -> Result<(), IdlError> {
    single_account(idl, instruction, name)?.pda = Some(pda);
    Ok(())
}

fn single_account<'a>(
    idl: &'a mut Idl,
    instruction: &'static str,
    name: &'static str,
) -> Result<&'a mut IdlInstructionAccount, IdlError> {
    let ix = idl
        .instructions
        .iter_mut()
        .find(|i| i.name == instruction)
        .ok_or(IdlError::NoInstruction(instruction))?;
    ix.accounts
        .iter_mut()
        .find_map(|a| match a {
            IdlInstructionAccountItem::Single(a) if a.name == name => Some(a),
            _ => None,
        })
        .ok_or(IdlError::NoAccount(instruction, name))
}
