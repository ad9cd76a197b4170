using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>MailKit's SmtpClient with access to its protected SendCommand, for STARTTLS, MAIL FROM, RCPT TO and RSET without DATA.</summary>
    internal sealed class SmtpCommandClient : SmtpClient
    {
        public SmtpCommandClient(IProtocolLogger logger) : base(logger) { }
        public Task<SmtpResponse> CommandAsync(string command, CancellationToken ct) => SendCommandAsync(command, ct);
    }
}
