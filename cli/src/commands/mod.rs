//! One module per resource, each with its clap subcommands, what they do, and the typed
//! result each prints.
pub mod event;
pub mod gate;
pub mod organizer;
pub mod ticket;
pub mod vault;
pub mod wallet;
