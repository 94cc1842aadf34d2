//! A wallet that signs in: an ed25519 key, its base58 address, its signatures.
use ed25519_dalek::{Signer, SigningKey};
use solana_address::Address;

pub struct Wallet {
    pub key: SigningKey,
}

impl Wallet {
    pub fn random() -> Self {
        Wallet {
            key: SigningKey::from_bytes(&rand::random::<[u8; 32]>()),
        }
    }

    pub fn address(&self) -> String {
        Address::new_from_array(self.key.verifying_key().to_bytes()).to_string()
    }

    /// `message` signed, in base58 (as a wallet's `signMessage` answer is sent).
    pub fn sign(&self, message: &str) -> String {
        bs58::encode(self.key.sign(message.as_bytes()).to_bytes()).into_string()
    }
}
