//! The QR keys, wrapped (AES-256-GCM) under the master key from the environment: the wrap
//! is bound to the key id and to the master key's version, and the previous master key
//! still opens the keys it wrapped while the master key rotates.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};

use super::random;
use crate::error::ApiError;

/// Keys wrapped before the wrap named its key id (format 1), and since (format 2).
const WRAP_AAD_V1: &[u8] = b"bitticket-qr-key-v1";
const WRAP_AAD_V2: &[u8] = b"bitticket-qr-key-v2";

/// The keys, wrapped under the master key in `qr_keys`.
pub struct QrKeys {
    /// The master key that wraps new keys, and its version.
    pub(super) master: (u32, Aes256Gcm),
    /// The previous master key (version - 1), which still opens the keys it wrapped.
    previous: Option<(u32, Aes256Gcm)>,
    pub(super) rotate_secs: f64,
    pub(super) grace_secs: f64,
    pub ttl_secs: i64,
}

fn wrap_aad(format: i16, kid: u32, version: u32) -> Vec<u8> {
    if format == 1 {
        return WRAP_AAD_V1.to_vec();
    }
    let mut a = WRAP_AAD_V2.to_vec();
    a.extend_from_slice(&kid.to_be_bytes());
    a.extend_from_slice(&version.to_be_bytes());
    a
}

impl QrKeys {
    /// `master` is the current master key (of `version`); `previous`, if any, the one
    /// before it.
    pub fn new(
        master: &[u8],
        version: u32,
        previous: Option<&[u8]>,
        rotate: std::time::Duration,
        grace: std::time::Duration,
        ttl: std::time::Duration,
    ) -> Result<Self, ApiError> {
        let cipher = |k: &[u8]| -> Result<Aes256Gcm, ApiError> {
            let k: [u8; 32] = k
                .try_into()
                .map_err(|_| ApiError::internal("QR master key is not 32 bytes"))?;
            Ok(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&k)))
        };
        let previous = match previous {
            Some(p) => Some((version.saturating_sub(1), cipher(p)?)),
            None => None,
        };
        Ok(QrKeys {
            master: (version, cipher(master)?),
            previous,
            rotate_secs: rotate.as_secs_f64(),
            grace_secs: grace.as_secs_f64(),
            ttl_secs: ttl.as_secs() as i64,
        })
    }

    pub(super) fn wrap(&self, kid: u32, key: &[u8; 32]) -> Result<Vec<u8>, ApiError> {
        let nonce = random::<12>();
        let (version, master) = &self.master;
        let ct = master
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: key,
                    aad: &wrap_aad(2, kid, *version),
                },
            )
            .map_err(|_| ApiError::internal("wrap QR key"))?;
        Ok([nonce.as_slice(), &ct].concat())
    }

    pub(super) fn unwrap_key(
        &self,
        kid: u32,
        format: i16,
        version: i32,
        wrapped: &[u8],
    ) -> Result<[u8; 32], ApiError> {
        if wrapped.len() < 12 {
            return Err(ApiError::internal("stored QR key is malformed"));
        }
        let version = u32::try_from(version).unwrap_or(0);
        let master = if self.master.0 == version {
            &self.master.1
        } else {
            match &self.previous {
                Some((v, m)) if *v == version => m,
                _ => {
                    return Err(ApiError::internal(
                        "stored QR key is wrapped under a master key version not configured",
                    ))
                }
            }
        };
        let (nonce, ct) = wrapped.split_at(12);
        let key = master
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: &wrap_aad(format, kid, version),
                },
            )
            .map_err(|_| ApiError::internal("stored QR key does not open under the master key"))?;
        key.try_into()
            .map_err(|_| ApiError::internal("stored QR key is not 32 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_key_opens_only_under_its_kid_and_its_master_version() {
        let day = std::time::Duration::from_secs(86_400);
        let old = QrKeys::new(&[1u8; 32], 1, None, day, day, day).expect("keys");
        let key = [9u8; 32];
        let wrapped = old.wrap(5, &key).expect("wrap");
        assert_eq!(old.unwrap_key(5, 2, 1, &wrapped).expect("unwrap"), key);
        // the wrap is bound to its key id: a row moved to another kid does not open
        assert!(old.unwrap_key(6, 2, 1, &wrapped).is_err());
        // the master key rotates: version 2 wraps new keys, version 1 still opens its own
        let new = QrKeys::new(&[2u8; 32], 2, Some(&[1u8; 32]), day, day, day).expect("keys");
        assert_eq!(new.unwrap_key(5, 2, 1, &wrapped).expect("previous"), key);
        let rewrapped = new.wrap(7, &key).expect("wrap");
        assert_eq!(new.unwrap_key(7, 2, 2, &rewrapped).expect("current"), key);
        assert!(old.unwrap_key(7, 2, 2, &rewrapped).is_err());
        // a version that is configured nowhere
        assert!(new.unwrap_key(5, 2, 3, &wrapped).is_err());
    }
}
