using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// The stream MailKit talks through. It lets the probe swap in its own TLS after STARTTLS, refuses to send anything
    /// once the server has said it is closing (a final 421 line), and cuts off a reply that no SMTP server would send
    /// (a line far beyond RFC 5321's 512 octets) at once instead of waiting for the timeout.
    /// </summary>
    internal sealed class SessionStream : Stream
    {
        /// <summary>RFC 5321 allows 512 octets per reply line; this leaves a wide margin for real servers.</summary>
        public const int MaxLineBytes = 64 * 1024;
        /// <summary>All the server may send in reply to one command (many lines).</summary>
        public const int MaxStepBytes = 1024 * 1024;

        Stream inner;
        int lineBytes, stepBytes;
        // The first four bytes of the line being read: enough to see "421 ".
        readonly byte[] lineStart = new byte[4];

        public SessionStream(Stream inner) { this.inner = inner; }

        /// <summary>After STARTTLS: the TLS stream over the same socket.</summary>
        public Stream Inner { get => inner; set => inner = value; }

        /// <summary>The server sent a final 421 line: it is closing the channel, so nothing more is sent.</summary>
        public bool ServerClosing { get; private set; }

        /// <summary>The server sent a line or reply beyond any SMTP bound.</summary>
        public bool OverLong { get; private set; }

        /// <summary>Bytes received since the last line end: a reply line longer than RFC 5321's 512 octets is not SMTP.</summary>
        public int OpenLineBytes => lineBytes;

        public override int Read(byte[] buffer, int offset, int count)
        {
            Guard();
            int n = inner.Read(buffer, offset, count);
            Inspect(buffer, offset, n);
            return n;
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Guard();
            int n = await inner.ReadAsync(buffer, offset, count, ct).ConfigureAwait(false);
            Inspect(buffer, offset, n);
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            RefuseAfterClosing();
            stepBytes = 0;
            inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            RefuseAfterClosing();
            stepBytes = 0;
            return inner.WriteAsync(buffer, offset, count, ct);
        }

        void Guard()
        {
            if (OverLong) throw new IOException("The server's reply is longer than any SMTP reply.");
        }

        void RefuseAfterClosing()
        {
            if (ServerClosing) throw new IOException("The server answered 421 (closing the channel): nothing more is sent.");
        }

        void Inspect(byte[] buffer, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++)
            {
                byte b = buffer[i];
                if (b == (byte)'\n')
                {
                    // "421 text" or a bare "421": the final line of a 421 reply ("421-" lines continue it).
                    if (lineBytes >= 3 && lineStart[0] == '4' && lineStart[1] == '2' && lineStart[2] == '1'
                        && (lineBytes == 3 || lineStart[3] == ' ' || lineStart[3] == '\r'))
                        ServerClosing = true;
                    lineBytes = 0;
                    continue;
                }
                if (lineBytes < 4) lineStart[lineBytes] = b;
                lineBytes++;
            }
            stepBytes += count;
            if (lineBytes > MaxLineBytes || stepBytes > MaxStepBytes) OverLong = true;
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override bool CanTimeout => true;
        // MailKit sets these; the probe's own deadline bounds every step, so they are only kept.
        public override int ReadTimeout { get; set; } = Timeout.Infinite;
        public override int WriteTimeout { get; set; } = Timeout.Infinite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
