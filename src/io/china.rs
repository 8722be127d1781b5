//! China's cities, the seven usual sales regions and the national trunk
//! roads, shipped with the crate.
//!
//! The city table is `data/china/cities.csv` and the trunk lines
//! `data/china/expressways.csv` (see `data/README.md` for their sources and
//! licenses); both are embedded in the library, so [`Geography::china`] and
//! [`Geography::trunk_lines`] need no file at run time.

mod trunk;

pub use crate::model::Geography;
pub(crate) use crate::model::{csv_syntax, fold};
pub use trunk::{CHINA_TRUNK, RoadKind, TrunkLine, china_trunk_travel, trunk_lines_from_csv};
