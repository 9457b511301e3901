//! The in-memory Typst world one letter is compiled in.
//!
//! The main file, the letter's metadata and its body are virtual files under
//! `/.casewright/`; every other path resolves inside the templates folder and
//! nowhere else (`..` and symlinks out of it are refused), packages are never
//! downloaded, and "today" is the letter's date.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::fonts::FontStore;

/// Where the generated files live in the virtual file system.
pub(super) const MAIN: &str = "/.casewright/main.typ";
pub(super) const META: &str = "/.casewright/meta.json";
pub(super) const BODY: &str = "/.casewright/body.typ";

/// The generated main file: the layout, given the metadata as data, around the body.
const MAIN_SOURCE: &str = "#import \"/layout.typ\": letter\n\
                           #show: letter.with(json(\"/.casewright/meta.json\"))\n\
                           #include \"/.casewright/body.typ\"\n";

/// A file id in the project root.
pub(super) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path)
        .unwrap_or_else(|_| VirtualPath::new("/").expect("the root is a path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Everything shared by all letters: the library, fonts, and the template files read so far.
pub(super) struct Shared {
    /// The templates folder, canonical.
    pub dir: PathBuf,
    pub library: LazyHash<Library>,
    pub fonts: FontStore,
    pub main: Source,
    pub meta_id: FileId,
    pub body_id: FileId,
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
}

impl Shared {
    pub fn new(dir: PathBuf, library: Library, fonts: FontStore) -> Shared {
        Shared {
            dir,
            library: LazyHash::new(library),
            fonts,
            main: Source::new(file_id(MAIN), MAIN_SOURCE.to_owned()),
            meta_id: file_id(META),
            body_id: file_id(BODY),
            files: Mutex::new(HashMap::new()),
            sources: Mutex::new(HashMap::new()),
        }
    }

    /// Reads a template file once; later reads come from memory.
    fn template_file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(cached) = self
            .files
            .lock()
            .ok()
            .and_then(|files| files.get(&id).cloned())
        {
            return cached;
        }
        let result = self.read(id);
        if let Ok(mut files) = self.files.lock() {
            files.insert(id, result.clone());
        }
        result
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(package) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("packages are not available to letter templates ({package})").into(),
            ))));
        }
        let path = id.vpath().realize(&self.dir).map_err(FileError::Realize)?;
        let canonical = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        if !canonical.starts_with(&self.dir) {
            return Err(FileError::AccessDenied);
        }
        if canonical.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&canonical)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }

    fn template_source(&self, id: FileId) -> FileResult<Source> {
        if let Some(cached) = self
            .sources
            .lock()
            .ok()
            .and_then(|sources| sources.get(&id).cloned())
        {
            return cached;
        }
        let result = self.template_file(id).and_then(|bytes| {
            let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text.to_owned()))
        });
        if let Ok(mut sources) = self.sources.lock() {
            sources.insert(id, result.clone());
        }
        result
    }

    /// The text of a template file already read, for diagnostics.
    pub fn text_of(&self, id: FileId) -> Option<String> {
        self.template_source(id).ok().map(|s| s.text().to_owned())
    }

    /// The path of a file relative to the templates folder.
    pub fn relative(id: FileId) -> String {
        id.vpath().get_without_slash().to_owned()
    }
}

/// The world of one letter.
pub(super) struct LetterWorld<'a> {
    pub shared: &'a Shared,
    pub meta: Bytes,
    pub body: Source,
    pub today: Datetime,
}

impl World for LetterWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        self.shared.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.main.id() {
            Ok(self.shared.main.clone())
        } else if id == self.body.id() {
            Ok(self.body.clone())
        } else {
            self.shared.template_source(id)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.meta_id {
            Ok(self.meta.clone())
        } else if id == self.body.id() || id == self.shared.main.id() {
            Ok(Bytes::from_string(self.source(id)?))
        } else {
            self.shared.template_file(id)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.font(index)
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
