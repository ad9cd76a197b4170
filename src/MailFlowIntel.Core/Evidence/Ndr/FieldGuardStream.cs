using System;
using System.IO;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>
    /// Bounds every header field to <see cref="NdrReader.MaxFieldBytes"/>: MimeKit's header parser slows down more than linearly
    /// on a single huge field (measured with 4.18.2: a 1 MB folded field about 3 s, 4 MB over 2 minutes), so a crafted
    /// file could stall it. A header-like line ("Name:" and its folded continuation lines) past the bound loses its
    /// tail: the rest of that line and any further continuation lines are dropped. Real fields are far shorter; a body
    /// line of 64 KB with no space in it (one-line base64) is cut too, which no NDR reading depends on.
    /// </summary>
    internal sealed class FieldGuardStream : Stream
    {
        enum Kind { Pending, Field, Continuation, Other }

        readonly Stream inner;
        readonly byte[] chunk = new byte[16 * 1024];
        int chunkPos, chunkLen;
        bool lineStart = true, inField, dropLine, cutting;
        Kind kind = Kind.Other;
        int fieldBytes;

        public FieldGuardStream(Stream inner) { this.inner = inner; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int written = 0;
            while (written == 0 && count > 0)
            {
                if (chunkPos == chunkLen)
                {
                    chunkLen = inner.Read(chunk, 0, chunk.Length);
                    chunkPos = 0;
                    if (chunkLen <= 0) { chunkLen = 0; return 0; }
                }
                while (chunkPos < chunkLen && written < count)
                {
                    byte b = chunk[chunkPos++];
                    if (Keep(b)) buffer[offset + written++] = b;
                }
            }
            return written;
        }

        bool Keep(byte b)
        {
            if (lineStart)
            {
                lineStart = false;
                if ((b == (byte)' ' || b == (byte)'\t') && inField)
                {
                    kind = Kind.Continuation;
                    dropLine = fieldBytes >= NdrReader.MaxFieldBytes;
                }
                else if (b > 0x20 && b < 0x7F && b != (byte)':')
                {
                    kind = Kind.Pending;
                    inField = false;
                    fieldBytes = 0;
                }
                else
                {
                    kind = Kind.Other;
                    inField = false;
                }
            }
            else if (kind == Kind.Pending)
            {
                if (b == (byte)':') { kind = Kind.Field; inField = true; }
                else if (b <= 0x20 || b >= 0x7F) kind = Kind.Other;
            }

            if (b == (byte)'\n')
            {
                bool keep = !dropLine;
                if (kind == Kind.Pending || kind == Kind.Other) inField = false;
                lineStart = true;
                dropLine = false;
                cutting = false;
                return keep;
            }
            if (dropLine || cutting) return false;
            if (kind != Kind.Other && ++fieldBytes > NdrReader.MaxFieldBytes)
            {
                cutting = true;
                return false;
            }
            return true;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
