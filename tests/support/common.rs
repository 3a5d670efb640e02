//! Shared helpers for the integration tests: the shipped personas and a small persona whose
//! doubts are all drawn, for rules that need to know exactly what the customer carries.

use sceptic::persona::{self, LoadReport, Persona};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn personas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../personas")
}

pub fn shipped() -> LoadReport {
    sceptic::personas::load_dir(&personas_dir()).expect("the shipped personas load")
}

pub fn shipped_persona(id: &str) -> Arc<Persona> {
    Arc::clone(
        shipped()
            .get(id)
            .unwrap_or_else(|| panic!("persona {id} ships")),
    )
}

/// A customer with two doubts, both always drawn: a blocking delivery doubt (weight 3) and a
/// non-blocking price doubt (weight 1).
pub fn known_persona(language: &str, difficulty: &str, trust: u8, sign_at: u8) -> Arc<Persona> {
    let text = format!(
        r#"
id = "test-buyer"
name = "Terry Test"
language = "{language}"
role = "Buyer"
company = "Test Company"
offer = "Test offer"
briefing = "A test."
difficulty = "{difficulty}"
opening = ["Hello.", "Good morning.", "Hi there."]

[temperament]
trust = {trust}
sign_at = {sign_at}
patience = 20
stalls = 3

[doubts]
draw = 2

[[doubt]]
id = "start-date"
topic = "delivery"
weight = 3
blocking = true
keywords = ["start", "go-live"]
tells = ["TELL-DELIVERY-1", "TELL-DELIVERY-2"]
reveal = ["REVEAL-DELIVERY"]
resolve = ["penalty clause", "written start date"]
resolved = ["ACCEPTED-DELIVERY"]
unresolved = ["UNRESOLVED-DELIVERY"]

[[doubt]]
id = "budget"
topic = "price"
weight = 1
blocking = false
keywords = ["budget"]
tells = ["TELL-PRICE"]
reveal = ["REVEAL-PRICE"]
resolve = ["fixed price"]
resolved = ["ACCEPTED-PRICE"]
unresolved = ["UNRESOLVED-PRICE"]
"#
    );
    Arc::new(
        persona::parse(Path::new("test-buyer.toml"), &text).expect("the test persona is valid"),
    )
}
