//! The wrapper of typed JSON columns.

use serde::{Deserialize, Serialize};
use std::ops::{Deref, DerefMut};

/// A `json`/`jsonb` column holding a typed structure: `Json<Vec<SocialLink>>`.
///
/// It reads and writes the value as JSON (with the feature `postgres`, through serde), and is
/// transparent everywhere else: serde sees the inner value, and `Deref` gives its fields.
///
/// ```
/// let tags = strata_runtime::Json(vec!["a".to_string()]);
/// assert_eq!(tags.len(), 1);
/// assert_eq!(serde_json::to_string(&tags).unwrap(), r#"["a"]"#);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Json(value)
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::Json;
    use bytes::BytesMut;
    use postgres_types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::error::Error;
    use std::fmt::Debug;

    impl<T: Serialize + Debug> ToSql for Json<T> {
        fn to_sql(
            &self,
            ty: &Type,
            out: &mut BytesMut,
        ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
            postgres_types::Json(&self.0).to_sql(ty, out)
        }

        accepts!(JSON, JSONB);
        to_sql_checked!();
    }

    impl<'a, T: DeserializeOwned> FromSql<'a> for Json<T> {
        fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
            postgres_types::Json::<T>::from_sql(ty, raw).map(|j| Json(j.0))
        }

        accepts!(JSON, JSONB);
    }
}
