//! Secrets: bytes that never reach a log, checked for strength before a service starts.
use std::fmt;

use base64::Engine;

use crate::ConfigError;

/// Bytes that must never reach a log: `Debug` prints a placeholder. Only `strong` (or
/// `from_base64`, which calls it) makes one, so every secret a service holds passed the
/// check.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// `bytes` as the secret `name`, unless weak: shorter than `min_len`, or plainly not
    /// random (fewer than `min_len / 2` distinct bytes).
    pub fn strong(name: &'static str, bytes: Vec<u8>, min_len: usize) -> Result<Self, ConfigError> {
        if bytes.len() < min_len {
            return Err(ConfigError::invalid(
                name,
                format!("must be at least {min_len} bytes, got {}", bytes.len()),
            ));
        }
        let mut seen = [false; 256];
        bytes.iter().for_each(|b| seen[*b as usize] = true);
        let distinct = seen.iter().filter(|s| **s).count();
        if distinct < min_len / 2 {
            return Err(ConfigError::invalid(
                name,
                "looks weak (too few distinct bytes): use random bytes",
            ));
        }
        Ok(Secret(bytes))
    }

    /// The secret `name` from its base64 (standard alphabet, padded) `text`, checked by
    /// `strong`.
    pub fn from_base64(
        name: &'static str,
        text: &str,
        min_len: usize,
    ) -> Result<Self, ConfigError> {
        Self::strong(name, decode_base64(name, text)?, min_len)
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The bytes of the base64 `text` (surrounding blanks ignored) of the variable `name`.
pub fn decode_base64(name: &'static str, text: &str) -> Result<Vec<u8>, ConfigError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| ConfigError::invalid(name, "must be base64"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(b: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(b)
    }

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::from_base64("K", &b64(&(0u8..32).collect::<Vec<_>>()), 32).expect("key");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(s.expose().len(), 32);
    }

    #[test]
    fn short_repetitive_or_undecodable_secrets_are_refused_by_name() {
        for text in [
            b64(&[1, 2, 3]),
            b64(&[7u8; 32]),
            b64(b"password"),
            "not base64!".into(),
        ] {
            let e = Secret::from_base64("K", &text, 32).expect_err("weak");
            assert_eq!(e.name(), "K", "{text}");
        }
        // half the minimum of distinct bytes is enough
        let mut bytes: Vec<u8> = (0u8..16).collect();
        bytes.extend(0u8..16);
        assert!(Secret::strong("K", bytes, 32).is_ok());
    }
}
