//! Typed indices: a category, a facility or a demand point of one analysis, so that an index into one
//! table cannot be passed where another is meant.
//!
//! Each is the position in its table: `Profile::categories`, `Analysis::facilities`,
//! `Analysis::demand`. The stage functions of the `analyze` pipeline take and return them.

/// A category of the profile: its position in `Profile::categories`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryId(pub u16);

/// A facility of the analysis: its position in `Analysis::facilities`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FacilityId(pub u32);

/// A demand point of the analysis: its position in `Analysis::demand`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DemandId(pub u32);

macro_rules! index_id {
    ($t:ident, $int:ty) => {
        impl $t {
            /// The position in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// The id of position `i`; panics when `i` does not fit (tables are built from u32-sized inputs).
            pub fn from_index(i: usize) -> $t {
                $t(<$int>::try_from(i).expect("index fits the id type"))
            }
        }
    };
}
index_id!(CategoryId, u16);
index_id!(FacilityId, u32);
index_id!(DemandId, u32);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_their_index() {
        assert_eq!(CategoryId::from_index(7).index(), 7);
        assert_eq!(FacilityId::from_index(70_000).index(), 70_000);
        assert_eq!(DemandId(3), DemandId::from_index(3));
        assert!(std::panic::catch_unwind(|| CategoryId::from_index(70_000)).is_err());
    }
}
