//! A ticket's mint: a Token-2022 mint of supply 1 and 0 decimals that wallets show. Its
//! metadata pointer names the mint itself, where the token metadata extension holds the
//! name ("<event name> #<serial>"), the symbol and the URI (the event's URI followed by the
//! serial, as ERC-721's base URI and token id); its mint close authority is the event PDA,
//! which closes it when its holder burns the ticket (`burn_ticket`), the rent going back.
use anchor_lang::prelude::*;

use crate::constants::TICKET_SYMBOL;
use crate::cpi;
use crate::rent::exempt_minimum;

/// The mint's size before its metadata: the base mint padded to a token account's 165
/// bytes, the account type, then the mint close authority (4 + 32) and the metadata
/// pointer (4 + 64) in TLV (a unit test checks it against Token-2022's own figure).
pub const MINT_LEN: usize = 165 + 1 + (4 + 32) + (4 + 64);

/// The metadata's TLV entry: header (4), update authority and mint (64), the name, symbol
/// and URI with their Borsh lengths (12 + bytes), an empty additional-metadata list (4).
pub fn metadata_len(name: usize, symbol: usize, uri: usize) -> usize {
    4 + 64 + 12 + name + symbol + uri + 4
}

/// The decimal digits of `n`, without the formatting machinery.
fn decimal(mut n: u32, out: &mut Vec<u8>) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// The ticket's metadata name, "<event name> #<serial>".
pub fn ticket_name(event_name: &[u8], serial: u32) -> Vec<u8> {
    let mut name = Vec::with_capacity(event_name.len() + 12);
    name.extend_from_slice(event_name);
    name.extend_from_slice(b" #");
    decimal(serial, &mut name);
    name
}

/// The ticket's metadata URI: the event's URI followed by the serial.
pub fn ticket_uri(event_uri: &[u8], serial: u32) -> Vec<u8> {
    let mut uri = Vec::with_capacity(event_uri.len() + 10);
    uri.extend_from_slice(event_uri);
    decimal(serial, &mut uri);
    uri
}

/// Creates `mint` (a fresh keypair that signs, paid by `payer`) as the ticket's mint with
/// its extensions and metadata, the event PDA (`event`, signed for by `signer`) its mint,
/// freeze and close authority and its metadata's update authority.
#[allow(clippy::too_many_arguments)]
pub fn create<'info>(
    payer: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    event: &AccountInfo<'info>,
    rent: &Rent,
    event_name: &[u8],
    event_uri: &[u8],
    serial: u32,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let name = ticket_name(event_name, serial);
    let uri = ticket_uri(event_uri, serial);
    let full = MINT_LEN + metadata_len(name.len(), TICKET_SYMBOL.len(), uri.len());
    // the whole size's rent now: the metadata's Initialize grows the account but cannot pay
    cpi::create_account(
        payer,
        mint,
        exempt_minimum(rent, full),
        MINT_LEN,
        &anchor_spl::token_2022::ID,
        &[],
    )?;
    cpi::initialize_ticket_mint_extensions(mint, event.key)?;
    cpi::initialize_mint2(anchor_spl::token_2022::ID, mint, 0, event.key, event.key)?;
    cpi::initialize_token_metadata(mint, event, &name, TICKET_SYMBOL.as_bytes(), &uri, signer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
    use anchor_spl::token_2022::spl_token_2022::state::Mint;

    #[test]
    fn the_mint_len_is_token_2022s() {
        let len = ExtensionType::try_calculate_account_len::<Mint>(&[
            ExtensionType::MintCloseAuthority,
            ExtensionType::MetadataPointer,
        ])
        .unwrap();
        assert_eq!(MINT_LEN, len);
    }

    #[test]
    fn names_and_uris_end_in_the_serial() {
        assert_eq!(ticket_name(b"Launch", 0), b"Launch #0");
        assert_eq!(ticket_name(b"Launch", 4_294_967_295), b"Launch #4294967295");
        assert_eq!(
            ticket_uri(b"https://x.example/m/E/", 42),
            b"https://x.example/m/E/42"
        );
    }
}
