using System;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>The connector's TlsSettings. Empty (null) in Exchange Online means opportunistic TLS.</summary>
    public enum TlsRequirement { Opportunistic, EncryptionOnly, CertificateValidation, DomainValidation }

    public static class TlsRequirementParser
    {
        /// <summary>Reads a TlsSettings value as Exchange Online spells it; null or empty is opportunistic.</summary>
        public static TlsRequirement Parse(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return TlsRequirement.Opportunistic;
            if (Enum.TryParse(value.Trim(), true, out TlsRequirement r) && Enum.IsDefined(typeof(TlsRequirement), r)
                && !int.TryParse(value.Trim(), out _))
                return r;
            throw new FormatException(
                $"'{value}' is not a TlsSettings value. Use EncryptionOnly, CertificateValidation, DomainValidation, or leave it empty for opportunistic TLS.");
        }

        public static bool RequiresTls(this TlsRequirement r) => r != TlsRequirement.Opportunistic;
        public static bool ValidatesCertificate(this TlsRequirement r) =>
            r == TlsRequirement.CertificateValidation || r == TlsRequirement.DomainValidation;
        public static string ToSetting(this TlsRequirement r) => r == TlsRequirement.Opportunistic ? "" : r.ToString();
    }
}
