//! Newtype ids: a number that names one entity of one kind.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                u64::from(id.0)
            }
        }
    };
}

id_type!(
    /// Names a [`City`](crate::City).
    CityId(u32)
);
id_type!(
    /// Names a sales [`Region`](crate::Region).
    RegionId(u32)
);
id_type!(
    /// Names an [`Outlet`](crate::Outlet).
    OutletId(u32)
);
id_type!(
    /// Names a [`Technician`](crate::Technician).
    TechnicianId(u32)
);
id_type!(
    /// Names a [`ServiceRequest`](crate::ServiceRequest).
    RequestId(u32)
);
id_type!(
    /// Names a product [`Category`](crate::Category) of the catalog.
    CategoryId(u16)
);
