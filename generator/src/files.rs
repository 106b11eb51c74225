//! File-system rules shared by the stages that read input (spec folders, templates) and the one
//! that writes output (`generated/`): what kind of entry a path is, decided without opening it
//! (opening a named pipe blocks until a writer comes), and reading a regular file inside a
//! folder with a size limit that holds even for a file that grows while it is read.

use std::fs::{FileType, Metadata};
use std::io::Read as _;
use std::path::{Component, Path};

/// What a directory entry is, from its own metadata (links are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
    /// A symbolic link.
    Symlink,
    /// A named pipe.
    Fifo,
    /// A Unix domain socket.
    Socket,
    /// A block device.
    BlockDevice,
    /// A character device.
    CharDevice,
    /// Anything else the platform has.
    Other,
}

impl EntryKind {
    /// The kind of an entry with this file type (from `symlink_metadata` or a directory entry).
    pub fn of(file_type: &FileType) -> EntryKind {
        if file_type.is_symlink() {
            return EntryKind::Symlink;
        }
        if file_type.is_file() {
            return EntryKind::File;
        }
        if file_type.is_dir() {
            return EntryKind::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if file_type.is_fifo() {
                return EntryKind::Fifo;
            }
            if file_type.is_socket() {
                return EntryKind::Socket;
            }
            if file_type.is_block_device() {
                return EntryKind::BlockDevice;
            }
            if file_type.is_char_device() {
                return EntryKind::CharDevice;
            }
        }
        EntryKind::Other
    }

    /// The kind of a path itself, without following a link there. `Ok(None)` when nothing is
    /// there.
    pub fn of_path(path: &Path) -> std::io::Result<Option<EntryKind>> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) => Ok(Some(EntryKind::of(&meta.file_type()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// "a symbolic link", "a named pipe (FIFO)", ...: for messages.
    pub fn describe(self) -> &'static str {
        match self {
            EntryKind::File => "a regular file",
            EntryKind::Folder => "a folder",
            EntryKind::Symlink => "a symbolic link",
            EntryKind::Fifo => "a named pipe (FIFO)",
            EntryKind::Socket => "a socket",
            EntryKind::BlockDevice => "a block device",
            EntryKind::CharDevice => "a character device",
            EntryKind::Other => "a special file",
        }
    }
}

/// Why an input file was not read. The messages name no path: the caller puts the file's
/// workspace-relative name in front.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Nothing is there.
    #[error("file is missing")]
    Missing,
    /// The path is not a regular file.
    #[error("file is {}; only regular files are read", .0.describe())]
    NotRegular(EntryKind),
    /// A folder on the way to the file is not a real folder.
    #[error("`{}` on the way to the file is {}; only real folders are entered", .0, .1.describe())]
    FolderNotReal(String, EntryKind),
    /// The path itself leads out of the folder (`..`, an absolute path).
    #[error("the path leads outside `{0}`")]
    PathOutside(String),
    /// A symbolic link to something that does not exist.
    #[error("file is a symbolic link to nothing")]
    DanglingLink,
    /// A symbolic link that leads out of the folder the file must be in.
    #[error("file is a symbolic link to a file outside `{0}`; links are followed only within it")]
    LinkOutside(String),
    /// A symbolic link to something other than a regular file.
    #[error("file is a symbolic link to {}; only regular files are read", .0.describe())]
    LinkToSpecial(EntryKind),
    /// The file is larger than the limit (by its size before reading).
    #[error("file is {size} bytes; at most {limit} bytes are read")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file grew beyond the limit while it was read.
    #[error("file grew beyond {0} bytes while it was read")]
    Grew(u64),
    /// The file system refused.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads `folder/rel` when it is a regular file inside `folder` of at most `limit` bytes.
///
/// Every folder between `folder` and the file must be a real folder, not a link. The file may
/// be a symbolic link when its target is a regular file inside `folder` (a link kept for
/// convenience, such as an alias of a schema); links leading out, links to links out, named
/// pipes, sockets and devices are refused from their metadata, before anything is opened. At
/// most `limit + 1` bytes are read from the opened file, so a file that grows between the
/// size check and the read cannot exhaust memory. `folder_name` names the folder in messages.
pub fn read_regular_within(
    folder: &Path,
    rel: &Path,
    folder_name: &str,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    let mut path = folder.to_path_buf();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        let Component::Normal(name) = part else {
            return Err(ReadError::PathOutside(folder_name.to_string()));
        };
        path.push(name);
        if parts.peek().is_some() {
            match EntryKind::of_path(&path)? {
                None => return Err(ReadError::Missing),
                Some(EntryKind::Folder) => {}
                Some(kind) => {
                    let at = path.strip_prefix(folder).unwrap_or(&path).display();
                    return Err(ReadError::FolderNotReal(at.to_string(), kind));
                }
            }
        }
    }
    let meta = std::fs::symlink_metadata(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    let (open, meta) = match EntryKind::of(&meta.file_type()) {
        EntryKind::File => (path, meta),
        EntryKind::Symlink => {
            let target = std::fs::canonicalize(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ReadError::DanglingLink,
                _ => ReadError::Io(e),
            })?;
            if !target.starts_with(std::fs::canonicalize(folder)?) {
                return Err(ReadError::LinkOutside(folder_name.to_string()));
            }
            // The canonical path holds no links: its own metadata is the target's.
            let meta = std::fs::symlink_metadata(&target)?;
            match EntryKind::of(&meta.file_type()) {
                EntryKind::File => (target, meta),
                kind => return Err(ReadError::LinkToSpecial(kind)),
            }
        }
        kind => return Err(ReadError::NotRegular(kind)),
    };
    read_limited(&open, &meta, limit)
}

/// Reads a file already known to be regular, at most `limit` bytes.
fn read_limited(path: &Path, meta: &Metadata, limit: u64) -> Result<Vec<u8>, ReadError> {
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path)?;
    // The entry may have been replaced since it was looked at: the opened handle decides.
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(ReadError::NotRegular(EntryKind::of(&opened.file_type())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::Grew(limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(folder: &Path, rel: &str) -> Result<Vec<u8>, ReadError> {
        read_regular_within(folder, Path::new(rel), "spec/x/", 100)
    }

    #[test]
    fn regular_files_and_links_within_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink("a.yaml", dir.path().join("sub/b.yaml")).unwrap();
        assert_eq!(read(dir.path(), "sub/a.yaml").unwrap(), b"a: 1\n");
        assert_eq!(read(dir.path(), "sub/b.yaml").unwrap(), b"a: 1\n");
    }

    #[test]
    fn special_files_and_links_out_are_refused_without_opening() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "s: 1\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::os::unix::fs::symlink(outside.path().join("secret.yaml"), p.join("out.yaml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", p.join("zero.yaml")).unwrap();
        std::os::unix::fs::symlink("missing.yaml", p.join("dangling.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), p.join("sub")).unwrap();
        std::fs::create_dir(p.join("folder.yaml")).unwrap();
        std::os::unix::fs::symlink("folder.yaml", p.join("to-folder.yaml")).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(p.join("pipe.yaml"))
            .status()
            .unwrap();
        assert!(status.success());
        let message = |rel: &str| read(p, rel).unwrap_err().to_string();
        assert!(message("out.yaml").contains("outside `spec/x/`"));
        assert!(message("zero.yaml").contains("outside `spec/x/`"));
        assert_eq!(
            message("dangling.yaml"),
            "file is a symbolic link to nothing"
        );
        assert!(
            message("sub/secret.yaml").contains("`sub` on the way to the file is a symbolic link")
        );
        assert!(message("folder.yaml").contains("file is a folder"));
        assert!(message("to-folder.yaml").contains("a symbolic link to a folder"));
        assert!(message("pipe.yaml").contains("file is a named pipe (FIFO)"));
        assert!(message("../x.yaml").contains("the path leads outside"));
        assert!(matches!(read(p, "none.yaml"), Err(ReadError::Missing)));
    }

    /// A device is told apart from its metadata (devices cannot be made without privileges,
    /// but `/dev/null` is always there).
    #[test]
    fn devices_are_recognised_from_metadata() {
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert_eq!(EntryKind::of(&meta.file_type()), EntryKind::CharDevice);
        let err = read_regular_within(Path::new("/dev"), Path::new("null"), "/dev", 10)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "file is a character device; only regular files are read"
        );
    }

    #[test]
    fn the_limit_holds_before_and_while_reading() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big"), [b'x'; 101]).unwrap();
        assert!(matches!(
            read(dir.path(), "big"),
            Err(ReadError::TooLarge { size: 101, .. })
        ));
        std::fs::write(dir.path().join("fits"), [b'x'; 100]).unwrap();
        assert_eq!(read(dir.path(), "fits").unwrap().len(), 100);
        // A file that is larger than its metadata said when it was looked at: the read stops
        // after limit + 1 bytes.
        let meta = std::fs::metadata(dir.path().join("fits")).unwrap();
        assert!(matches!(
            read_limited(&dir.path().join("big"), &meta, 100),
            Err(ReadError::Grew(100))
        ));
    }
}
