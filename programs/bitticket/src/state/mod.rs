pub mod buyer_record;
pub mod event;
pub mod organizer;
pub mod shard;
pub mod ticket;

pub use buyer_record::*;
pub use event::*;
pub use organizer::*;
pub use shard::*;
pub use ticket::*;
