//! One process answers at a time. Discord sends every event to every process connected with
//! the bot's token, so two `sceptic bot` on one database would both answer each message.
//! Instead the process holding the lease (a row in the database) connects and answers; any
//! other waits, not connected, until the lease is released (a clean stop, as in a rolling
//! restart) or lapses (a crash), then takes over and catches up exactly as after a restart.

use super::clock;
use crate::config::Shards;
use crate::store::{Store, StoreError};
use rand::TryRngCore;
use std::sync::Arc;
use std::time::Duration;
use tracing::{debug, info, warn};

pub struct Lease {
    store: Arc<dyn Store>,
    /// One per set of shards: processes compete only with those for the same shards.
    name: String,
    holder: String,
    length: Duration,
}

impl Lease {
    pub fn new(store: Arc<dyn Store>, length: Duration, shards: Option<Shards>) -> Lease {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "host".to_string());
        // The pid alone repeats across containers; the random part tells processes apart.
        let tag = rand::rngs::OsRng.try_next_u32().unwrap_or_default();
        let name = match shards {
            Some(s) => format!("bot: shards {}-{} of {}", s.first, s.last, s.total),
            None => "bot".to_string(),
        };
        Lease {
            store,
            name,
            holder: format!("{}@{host}/{tag:08x}", std::process::id()),
            length,
        }
    }

    /// Renewed three times per length, so that one slow round trip does not lose it.
    fn renew_every(&self) -> Duration {
        self.length / 3
    }

    async fn try_take(&self) -> Result<bool, StoreError> {
        let now = clock::now_ms();
        let until = now.saturating_add(self.length.as_millis() as i64);
        self.store
            .acquire_lease(&self.name, &self.holder, now, until)
            .await
    }

    /// Waits until this process holds the lease.
    pub async fn acquire(&self) -> Result<(), StoreError> {
        if self.try_take().await? {
            info!(holder = %self.holder, "holding the lease: this process answers");
            return Ok(());
        }
        info!(
            holder = %self.holder,
            "another process answers; standing by until it stops or its lease lapses"
        );
        loop {
            tokio::time::sleep(self.renew_every()).await;
            match self.try_take().await {
                Ok(true) => {
                    info!(holder = %self.holder, "took the lease over: this process answers now");
                    return Ok(());
                }
                Ok(false) => debug!("the lease is still held"),
                Err(e) => warn!(%e, "cannot reach the database to ask for the lease"),
            }
        }
    }

    /// Renews the lease until another process holds it, and returns then. A database that
    /// cannot be reached only delays renewing: nobody else can take the lease through it.
    pub async fn hold(&self) {
        let mut every = tokio::time::interval(self.renew_every());
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match self.try_take().await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => warn!(%e, "cannot renew the lease"),
            }
        }
    }

    /// Hands the lease on at once at a clean stop.
    pub async fn release(&self) {
        match self.store.release_lease(&self.name, &self.holder).await {
            Ok(()) => info!("lease released"),
            Err(e) => warn!(%e, "cannot release the lease; a standby takes over when it lapses"),
        }
    }
}
