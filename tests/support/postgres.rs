//! A real PostgreSQL server of a test's own: `initdb` into a temporary folder, `postgres` on
//! 127.0.0.1 and a free port, stopped and removed when dropped. The server refuses to run as
//! root, so under root (CI containers) it runs as the `postgres` user that Debian's package
//! creates.

use sqlx::Connection;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the server's programs are looked for when `SCEPTIC_PG_BIN` does not say.
const DEBIAN_BINARIES: &str = "/usr/lib/postgresql";
const READY: Duration = Duration::from_secs(30);

pub struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    user: Option<(u32, u32)>,
    child: Option<Child>,
    /// The authority whose certificate the server presents, when it only speaks TLS.
    tls: Option<PathBuf>,
}

impl Postgres {
    /// A fresh, empty server, ready for connections.
    pub async fn start() -> Postgres {
        Postgres::start_with(false).await
    }

    /// A server that refuses every connection without TLS, as managed databases do; its
    /// certificate is signed by a throwaway authority, see [`Postgres::tls_url`].
    pub async fn start_tls() -> Postgres {
        Postgres::start_with(true).await
    }

    async fn start_with(tls: bool) -> Postgres {
        let bin = binaries();
        let user = server_user();
        let dir = tempfile::Builder::new()
            .prefix("sceptic-pg-")
            .tempdir()
            .expect("temp dir for PostgreSQL");
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .expect("the temp dir can be handed to the postgres user");
        }
        let mut initdb = Command::new(bin.join("initdb"));
        initdb
            .args([
                "--no-sync",
                "--auth=trust",
                "--username=sceptic",
                "--encoding=UTF8",
            ])
            .arg("--pgdata")
            .arg(data(dir.path()))
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        as_user(&mut initdb, user);
        let out = initdb.output().expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut server = Postgres {
            bin,
            dir,
            port: free_port(),
            user,
            child: None,
            tls: None,
        };
        if tls {
            server.require_tls();
        }
        server.run().await;
        server
    }

    /// The URL of the server's `postgres` database, as `storage.url` takes it.
    pub fn url(&self) -> String {
        format!("postgres://sceptic@127.0.0.1:{}/postgres", self.port)
    }

    /// [`Postgres::url`] asking for TLS with the server's certificate checked against the
    /// throwaway authority.
    pub fn tls_url(&self) -> String {
        let ca = self.tls.as_ref().expect("a server started with start_tls");
        format!(
            "{}?sslmode=verify-full&sslrootcert={}",
            self.url(),
            ca.display()
        )
    }

    /// Certificate, key and an access rule that admits TLS connections only.
    fn require_tls(&mut self) {
        let authority = fake_discord::https::throwaway_authority(&["127.0.0.1"]);
        let data = data(self.dir.path());
        std::fs::write(data.join("server.crt"), &authority.server_pem).expect("certificate");
        let key = data.join("server.key");
        std::fs::write(&key, &authority.server_key_pem).expect("key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("key mode");
        if let Some((uid, gid)) = self.user {
            for file in ["server.crt", "server.key"] {
                std::os::unix::fs::chown(data.join(file), Some(uid), Some(gid))
                    .expect("the postgres user owns its certificate");
            }
        }
        std::fs::write(
            data.join("pg_hba.conf"),
            "hostssl all all 127.0.0.1/32 trust\n",
        )
        .expect("access rules");
        let ca = self.dir.path().join("ca.pem");
        std::fs::write(&ca, &authority.ca_pem).expect("authority");
        self.tls = Some(ca);
    }

    /// SIGKILL: the server dies with whatever it had in memory.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same folder and port, after [`Postgres::kill`].
    pub async fn restart(&mut self) {
        self.kill();
        self.run().await;
    }

    async fn run(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("server.log")).expect("server log");
        if let Some((uid, gid)) = self.user {
            let _ =
                std::os::unix::fs::chown(self.dir.path().join("server.log"), Some(uid), Some(gid));
        }
        let mut postgres = Command::new(self.bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(data(self.dir.path()))
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "unix_socket_directories="])
            // The OS keeps what a killed server wrote; only a machine crash would need fsync.
            .args(["-c", "fsync=off"])
            .args(["-c", "max_connections=60"])
            .args([
                "-c",
                if self.tls.is_some() {
                    "ssl=on"
                } else {
                    "ssl=off"
                },
            ])
            .stdout(Stdio::null())
            .stderr(log);
        as_user(&mut postgres, self.user);
        self.child = Some(postgres.spawn().expect("postgres starts"));
        let deadline = Instant::now() + READY;
        loop {
            let url = if self.tls.is_some() {
                self.tls_url()
            } else {
                self.url()
            };
            if let Ok(connection) = sqlx::PgConnection::connect(&url).await {
                let _ = connection.close().await;
                return;
            }
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not accept connections within {READY:?}; its log: {}",
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.kill();
    }
}

fn data(dir: &Path) -> PathBuf {
    dir.join("data")
}

/// The folder with `initdb` and `postgres`: `SCEPTIC_PG_BIN`, else where `initdb` is on the
/// PATH, else the newest Debian server. Missing is a failure, not a skip: CI installs it.
fn binaries() -> PathBuf {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(dir) = std::env::var_os("SCEPTIC_PG_BIN") {
        let dir = PathBuf::from(dir);
        assert!(
            has_both(&dir),
            "SCEPTIC_PG_BIN={} has no initdb and postgres",
            dir.display()
        );
        return dir;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|dir| std::fs::canonicalize(dir.join("initdb")).ok())
        .filter_map(|initdb| initdb.parent().map(Path::to_path_buf));
    let mut debian: Vec<PathBuf> = std::fs::read_dir(DEBIAN_BINARIES)
        .map(|dirs| {
            dirs.filter_map(|d| d.ok())
                .map(|d| d.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    debian.sort_by_key(|d| std::cmp::Reverse(version(d)));
    on_path
        .chain(debian)
        .find(|d| has_both(d))
        .unwrap_or_else(|| {
            panic!(
                "the PostgreSQL server is not installed: the store tests run against a real one. \
             Install it (Debian: apt-get install postgresql) or set SCEPTIC_PG_BIN to the folder \
             with initdb and postgres"
            )
        })
}

/// `/usr/lib/postgresql/15/bin` → 15, so that 16 sorts above 9.
fn version(bin: &Path) -> u32 {
    bin.parent()
        .and_then(Path::file_name)
        .and_then(|v| v.to_str())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The `postgres` user's ids when this process is root, which the server refuses to be.
fn server_user() -> Option<(u32, u32)> {
    let root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    if !root {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let ids = passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        match fields.as_slice() {
            ["postgres", _, uid, gid, ..] => Some((uid.parse().ok()?, gid.parse().ok()?)),
            _ => None,
        }
    });
    Some(ids.expect(
        "running as root, and there is no postgres user to run the server as: \
         install Debian's postgresql package, which creates one",
    ))
}

fn as_user(command: &mut Command, user: Option<(u32, u32)>) {
    if let Some((uid, gid)) = user {
        command.uid(uid).gid(gid);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}
