//! A bounded, clearable buffer for a plugin's stdout or stderr.
//!
//! wasmtime-wasi's `MemoryOutputPipe` cannot be emptied, so a plugin that
//! prints one line per sample would fill it over a long run. This buffer is
//! cleared before every call; within one call it holds at most `capacity`
//! bytes, after which the stream reports itself closed (a Rust guest's
//! `print!` then panics with "failed printing to stdout").

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError, StreamResult};

/// Captured output of one stream, shared between the host and the guest's
/// stream handles.
#[derive(Clone, Debug)]
pub struct Capture {
    capacity: usize,
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl Capture {
    /// A buffer holding at most `capacity` bytes per call.
    pub fn new(capacity: usize) -> Self {
        Capture {
            capacity,
            buffer: Arc::default(),
        }
    }

    /// The cap in bytes.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Empties the buffer (before each call).
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// What was written since the last `clear`.
    pub fn contents(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// Whether the buffer is full.
    pub fn is_full(&self) -> bool {
        self.lock().len() >= self.capacity
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        // A poisoned lock only means another thread panicked mid-push;
        // the bytes are still valid.
        self.buffer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn room(&self) -> usize {
        self.capacity.saturating_sub(self.lock().len())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for Capture {
    async fn ready(&mut self) {}
}

impl OutputStream for Capture {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        let mut buffer = self.lock();
        if bytes.len() > self.capacity.saturating_sub(buffer.len()) {
            return Err(StreamError::Closed);
        }
        buffer.extend_from_slice(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        match self.room() {
            0 => Err(StreamError::Closed),
            n => Ok(n),
        }
    }
}

impl tokio::io::AsyncWrite for Capture {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut buffer = self.lock();
        let n = buf.len().min(self.capacity.saturating_sub(buffer.len()));
        buffer.extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_capacity_and_clears() {
        let mut capture = Capture::new(4);
        capture.write(Bytes::from_static(b"abc")).unwrap();
        assert_eq!(capture.check_write().unwrap(), 1);
        assert!(matches!(
            capture.write(Bytes::from_static(b"de")),
            Err(StreamError::Closed)
        ));
        capture.write(Bytes::from_static(b"d")).unwrap();
        assert!(capture.is_full());
        assert!(matches!(capture.check_write(), Err(StreamError::Closed)));
        assert_eq!(capture.contents(), b"abcd");
        capture.clear();
        assert_eq!(capture.check_write().unwrap(), 4);
    }
}
