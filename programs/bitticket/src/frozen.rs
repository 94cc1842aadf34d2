//! A ticket's token account is frozen by its event PDA (the mint's freeze authority) at all
//! times but inside one instruction of this program, which thaws it, moves or approves the
//! ticket, and freezes the account that holds it again.
use anchor_lang::prelude::*;
use anchor_spl::token_2022::{self as token, FreezeAccount, ThawAccount, TransferChecked};

/// What every thaw, freeze and move of a ticket names: the token program, the ticket's
/// mint, and its event PDA with the event's signer seeds.
pub struct Frozen<'a, 'info> {
    pub program: Pubkey,
    pub mint: AccountInfo<'info>,
    pub event: AccountInfo<'info>,
    pub signer: &'a [&'a [&'a [u8]]],
}

/// Who authorises a move: the holder, signing the transaction, or the event PDA as the
/// delegate the holder approved when listing (signed for with the event's seeds).
pub enum MovedBy<'info> {
    Holder(AccountInfo<'info>),
    EventAsDelegate,
}

impl<'info> Frozen<'_, 'info> {
    pub fn thaw(&self, account: AccountInfo<'info>) -> Result<()> {
        token::thaw_account(CpiContext::new_with_signer(
            self.program,
            ThawAccount {
                account,
                mint: self.mint.clone(),
                authority: self.event.clone(),
            },
            self.signer,
        ))
    }

    pub fn freeze(&self, account: AccountInfo<'info>) -> Result<()> {
        token::freeze_account(CpiContext::new_with_signer(
            self.program,
            FreezeAccount {
                account,
                mint: self.mint.clone(),
                authority: self.event.clone(),
            },
            self.signer,
        ))
    }

    /// Moves the ticket from `from` to `to` and freezes `to`; the emptied `from` stays
    /// thawed so that its owner can close it and take back its rent.
    pub fn move_ticket(
        &self,
        from: AccountInfo<'info>,
        to: AccountInfo<'info>,
        by: MovedBy<'info>,
    ) -> Result<()> {
        self.thaw(from.clone())?;
        let accounts = |authority| TransferChecked {
            from,
            mint: self.mint.clone(),
            to: to.clone(),
            authority,
        };
        let cpi = match by {
            MovedBy::Holder(holder) => CpiContext::new(self.program, accounts(holder)),
            MovedBy::EventAsDelegate => {
                CpiContext::new_with_signer(self.program, accounts(self.event.clone()), self.signer)
            }
        };
        token::transfer_checked(cpi, 1, 0)?;
        self.freeze(to)
    }
}

/// `account` is a Token-2022 account of `mint` owned by `owner`, one a ticket may be moved
/// into.
pub fn require_ticket_account(account: &AccountInfo, mint: &Pubkey, owner: &Pubkey) -> Result<()> {
    let program = anchor_spl::token_2022::ID;
    require!(
        crate::currency::token_account_amount(account, &program, mint, owner)?.is_some(),
        crate::errors::BitTicketError::TicketAccountMismatch
    );
    Ok(())
}
