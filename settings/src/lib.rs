//! BitTicket's one configuration reader, shared by the off-chain services.
//!
//! * `env_file`: the one env-file rule (`KEY=value` lines; blank lines and `#` comments
//!   skipped; a value wrapped in matching single or double quotes loses them).
//! * `vars`: `Vars`, the variables a service reads (the process environment first, then
//!   an env file for what the environment leaves unset), with typed getters that name the
//!   variable in every refusal.
//! * `secret`: `Secret`, bytes that never print, and the strength check every key passes.
//! * `error`: `ConfigError`, what a refused setting says (the variable and why).
pub mod env_file;
pub mod error;
pub mod secret;
pub mod vars;

pub use env_file::{parse as parse_env_file, read as read_env_file, EnvFileError};
pub use error::ConfigError;
pub use secret::Secret;
pub use vars::Vars;
