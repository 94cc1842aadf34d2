//! Program accounts, decoded with the program's own types by their discriminator.
use anchor_lang::{AccountDeserialize, Discriminator};
use bitticket::state;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error("account data shorter than a discriminator ({0} bytes)")]
    Short(usize),
    #[error("unknown account discriminator {0:?}")]
    Unknown([u8; 8]),
    #[error("{kind}: {detail}")]
    Malformed { kind: &'static str, detail: String },
}

macro_rules! program_accounts {
    ($($name:ident),* $(,)?) => {
        /// One account of the program, decoded.
        #[derive(Debug, Clone)]
        pub enum ProgramAccount { $($name(Box<state::$name>)),* }

        impl ProgramAccount {
            /// The account names, as in the IDL.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// The discriminators, for getProgramAccounts filters.
            pub const DISCRIMINATORS: &'static [&'static [u8]] =
                &[$(state::$name::DISCRIMINATOR),*];

            pub fn decode(data: &[u8]) -> Result<Self, AccountError> {
                let Some(disc) = data.first_chunk::<8>() else {
                    return Err(AccountError::Short(data.len()));
                };
                $(
                    if disc.as_slice() == state::$name::DISCRIMINATOR {
                        let mut bytes = data;
                        return state::$name::try_deserialize(&mut bytes)
                            .map(|a| Self::$name(Box::new(a)))
                            .map_err(|e| AccountError::Malformed {
                                kind: stringify!($name),
                                detail: e.to_string(),
                            });
                    }
                )*
                Err(AccountError::Unknown(*disc))
            }

            pub fn name(&self) -> &'static str {
                match self { $(Self::$name(_) => stringify!($name)),* }
            }
        }
    };
}

program_accounts!(
    Organizer,
    Event,
    Tier,
    Shard,
    Ticket,
    Listing,
    BuyerRecord,
    Proposal
);

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::AccountSerialize;
    use solana_address::Address;

    #[test]
    fn decodes_by_discriminator_and_refuses_the_rest() {
        let record = state::BuyerRecord {
            version: bitticket::constants::ACCOUNT_VERSION,
            event: Address::new_unique(),
            buyer: Address::new_unique(),
            purchased: 2,
            bump: 254,
            tiers: Default::default(),
        };
        let mut data = Vec::new();
        record.try_serialize(&mut data).unwrap();
        // accounts are allocated at their full size: trailing zeros are normal
        data.resize(state::BuyerRecord::SIZE + 10, 0);
        match ProgramAccount::decode(&data).unwrap() {
            ProgramAccount::BuyerRecord(got) => assert_eq!(got.purchased, 2),
            other => panic!("decoded as {}", other.name()),
        }
        assert!(matches!(
            ProgramAccount::decode(&data[..20]),
            Err(AccountError::Malformed {
                kind: "BuyerRecord",
                ..
            })
        ));
        assert_eq!(
            ProgramAccount::decode(&[7; 40]).unwrap_err(),
            AccountError::Unknown([7; 8])
        );
        assert_eq!(
            ProgramAccount::decode(&[1]).unwrap_err(),
            AccountError::Short(1)
        );
    }
}
