pub mod buyer_record;
pub mod event;
pub mod organizer;
pub mod period;
pub mod proposal;
pub mod shard;
pub mod spending;
pub mod ticket;

pub use buyer_record::*;
pub use event::*;
pub use organizer::*;
pub use period::*;
pub use proposal::*;
pub use shard::*;
pub use spending::*;
pub use ticket::*;
