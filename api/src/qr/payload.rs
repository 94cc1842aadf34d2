//! Sealing a claim into a payload and opening it again: AES-256-GCM under one QR key,
//! the key id and the organizer in the clear and authenticated. No database here.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;

use super::{random, Claim, QrError};
use crate::domain::AccountAddress;

const PREFIX: &str = "BT2.";
const PAYLOAD_AAD: &[u8] = b"bitticket-qr-v2";

fn aad(kid: u32, organizer: &AccountAddress) -> Vec<u8> {
    let mut a = PAYLOAD_AAD.to_vec();
    a.extend_from_slice(&kid.to_be_bytes());
    a.extend_from_slice(organizer.0.as_ref());
    a
}

/// Encrypts `claim` of a ticket of `organizer` under `key` (id `kid`).
pub fn seal(
    key: &[u8; 32],
    kid: u32,
    organizer: &AccountAddress,
    claim: &Claim,
) -> Result<String, QrError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let nonce = random::<12>();
    let plain = serde_json::to_vec(claim).map_err(|_| QrError::Malformed)?;
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad(kid, organizer),
            },
        )
        .map_err(|_| QrError::Malformed)?;
    let mut out = kid.to_be_bytes().to_vec();
    out.extend_from_slice(organizer.0.as_ref());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
    ))
}

/// The key id and the organizer a payload names, and the rest of it.
pub fn split(payload: &str) -> Result<(u32, AccountAddress, Vec<u8>), QrError> {
    if payload.len() > 1024 {
        return Err(QrError::Malformed);
    }
    let body = payload.strip_prefix(PREFIX).ok_or(QrError::Malformed)?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| QrError::Malformed)?;
    if raw.len() < 4 + 32 + 12 + 16 {
        return Err(QrError::Malformed);
    }
    let kid = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    let organizer: [u8; 32] = raw[4..36].try_into().map_err(|_| QrError::Malformed)?;
    Ok((
        kid,
        AccountAddress(solana_address::Address::new_from_array(organizer)),
        raw[36..].to_vec(),
    ))
}

/// Decrypts what `split` returned under `key`, and checks the expiry against `now`.
pub fn unseal(
    key: &[u8; 32],
    kid: u32,
    organizer: &AccountAddress,
    rest: &[u8],
    now: i64,
) -> Result<Claim, QrError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let (nonce, ct) = rest.split_at(12);
    let plain = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: &aad(kid, organizer),
            },
        )
        .map_err(|_| QrError::Forged)?;
    let claim: Claim = serde_json::from_slice(&plain).map_err(|_| QrError::Forged)?;
    if claim.expires_at <= now {
        return Err(QrError::Expired);
    }
    Ok(claim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_address::Address;

    fn claim(exp: i64) -> Claim {
        Claim {
            ticket: AccountAddress(Address::new_unique()),
            holder: AccountAddress(Address::new_unique()),
            expires_at: exp,
            pass: None,
        }
    }

    #[test]
    fn a_sealed_claim_opens_only_under_its_key_kid_and_organizer_until_it_expires() {
        let key = [7u8; 32];
        let org = AccountAddress(Address::new_unique());
        let other = AccountAddress(Address::new_unique());
        let c = claim(1_000);
        let p = seal(&key, 3, &org, &c).expect("seal");
        let (kid, named, rest) = split(&p).expect("split");
        assert_eq!((kid, named), (3, org));
        assert_eq!(unseal(&key, kid, &org, &rest, 999), Ok(c));
        assert_eq!(unseal(&key, kid, &org, &rest, 1_000), Err(QrError::Expired));
        assert_eq!(
            unseal(&[8u8; 32], kid, &org, &rest, 999),
            Err(QrError::Forged)
        );
        // moved under another key id, or relabelled to another organizer: both are
        // authenticated
        assert_eq!(unseal(&key, 4, &org, &rest, 999), Err(QrError::Forged));
        assert_eq!(unseal(&key, kid, &other, &rest, 999), Err(QrError::Forged));
        // one flipped bit anywhere in the ciphertext
        for i in 12..rest.len() {
            let mut t = rest.clone();
            t[i] ^= 1;
            assert_eq!(
                unseal(&key, kid, &org, &t, 999),
                Err(QrError::Forged),
                "byte {i}"
            );
        }
        for bad in [
            "",
            "BT2.",
            "BT2.!!!",
            "BT1.AAAA",
            "XX1.AAAA",
            &"A".repeat(2000),
        ] {
            assert_eq!(split(bad).err(), Some(QrError::Malformed), "{bad}");
        }
    }

    #[test]
    fn two_payloads_of_one_claim_differ() {
        let key = [7u8; 32];
        let org = AccountAddress(Address::new_unique());
        let c = claim(1_000);
        assert_ne!(
            seal(&key, 1, &org, &c).expect("seal"),
            seal(&key, 1, &org, &c).expect("seal")
        );
    }
}
