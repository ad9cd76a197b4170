using System.Collections.Generic;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>
    /// The headings and sentences of Exchange's human-readable report in one language. Exchange writes the report in the
    /// sender's language and says nowhere which one it chose, so the body reader tries every table at once.
    /// Each entry is a regular-expression fragment, matched case-insensitively on decoded text (entities resolved, no-break
    /// spaces turned into spaces); a null entry is a string no public source was found for, so nothing is guessed.
    /// The SMTP lines under a recipient are not localised: Exchange keeps "Remote Server returned '...'" and the
    /// "#550 4.4.7 ... ##" form in English inside a French report (see the French entry's sources).
    /// </summary>
    internal sealed class NdrWording
    {
        /// <summary>The language, as a culture name ("fr-FR").</summary>
        public string Culture { get; private set; }
        /// <summary>The heading that opens the section for administrators.</summary>
        public string DiagnosticHeading { get; private set; }
        /// <summary>The heading over the original message's header block (a whole line, a colon optional).</summary>
        public string OriginalHeadersHeading { get; private set; }
        /// <summary>The label of the line that names the server which wrote the report.</summary>
        public string GeneratingServer { get; private set; }
        /// <summary>
        /// The delay notice's "will keep trying for the next ..." sentence, with optional groups d, h and m
        /// (days, hours, minutes); null where the sentence was not found in the language.
        /// </summary>
        public string RetryFor { get; private set; }

        NdrWording() { }

        // French text may carry a typographic apostrophe where the source has a straight one.
        const string Apostrophe = "['\u2019]";

        public static readonly NdrWording English = new NdrWording
        {
            Culture = "en-US",
            // Exchange Online and Exchange Server reports, e.g. https://pastebin.com/1hR8dS3r, https://pastebin.com/ZTwURw5w
            // and sisimai/set-of-emails maildir/bsd/email-exchange2007-05.eml.
            DiagnosticHeading = @"Diagnostic information for administrators",
            OriginalHeadersHeading = @"Original message headers",
            GeneratingServer = @"Generating server",
            // Delay notices: "The server will keep trying to deliver this message for the next 22 hours and 51 minutes"
            // (https://pastebin.com/bAWb37W3).
            RetryFor = @"for the next\s+(?:(?<d>\d{1,3})\s+days?)?[\s,]*(?:(?<h>\d{1,2})\s+hours?)?[\s,]*(?:and\s+)?(?:(?<m>\d{1,2})\s+minutes?)?",
        };

        public static readonly NdrWording French = new NdrWording
        {
            Culture = "fr-FR",
            // "Informations de diagnostic pour les administrateurs", "Serveur de génération" and "En-têtes de message
            // d'origine :" are the fr-FR strings the sisimai bounce parser matches in real Exchange reports
            // (sisimai/go-sisimai lhost/via-exchange2007.go, https://github.com/sisimai/go-sisimai/blob/master/lhost/via-exchange2007.go);
            // the heading is also the one Microsoft's French page names (https://technet.microsoft.com/fr-fr/library/bb232118(v=exchg.80)).
            // A French admin's pasted on-premises report (public notes file found in the code index, "CONTACTS X500 /
            // ERREURS IMCEAEX") shows the lines as written: "Serveur de génération : SRV15...", then "Remote Server
            // returned '550 5.1.1 ...'" in English, then "En-têtes de message d'origine :".
            DiagnosticHeading = @"Informations de diagnostic pour les administrateurs",
            OriginalHeadersHeading = @"En-t[êe]tes de message d" + Apostrophe + @"origine",
            GeneratingServer = @"Serveur de g[ée]n[ée]ration",
            // Not found: the French delay notice's "will keep trying for the next ..." sentence.
            RetryFor = null,
        };

        public static readonly NdrWording German = new NdrWording
        {
            Culture = "de-DE",
            // The de-DE version of Microsoft's "DSNs and NDRs in Exchange 2013" (the page whose fr-CH copy is
            // https://learn.microsoft.com/fr-ch/Exchange/dsns-and-ndrs-in-exchange-2013-exchange-2013-help; the de-DE text
            // was found in the code index, a localized OfficeDocs file) names the fields "Diagnoseinformationen für
            // Administratoren", "Generierender Server" and "Ursprüngliche Nachrichtenkopfzeilen". The first is also what a
            // public Outlook script looks for in real German bounces ("Diagnoseinformationen für Administratoren:",
            // subject "Unzustellbar:"). No captured German report was found to confirm the other two as Exchange writes them.
            DiagnosticHeading = @"Diagnoseinformationen f(?:ü|ue)r Administratoren",
            OriginalHeadersHeading = @"Urspr(?:ü|ue)ngliche Nachrichtenkopfzeilen",
            GeneratingServer = @"Generierender Server",
            // Not found: the German delay notice's retry sentence.
            RetryFor = null,
        };

        public static readonly NdrWording Spanish = new NdrWording
        {
            Culture = "es-ES",
            // The es-ES version of the same Microsoft page ("DSNs and NDRs in Exchange 2013", localized OfficeDocs file
            // found in the code index) names "Información de diagnóstico para administradores", "Servidor de generación"
            // and "Encabezados del mensaje original". A public Spanish bounce handler matches "Encabezados del mensaje
            // original:" in the bounces it receives. No captured Spanish report was found.
            DiagnosticHeading = @"Informaci[óo]n de diagn[óo]stico para administradores",
            OriginalHeadersHeading = @"Encabezados del mensaje original",
            GeneratingServer = @"Servidor de generaci[óo]n",
            // Not found: the Spanish delay notice's retry sentence.
            RetryFor = null,
        };

        /// <summary>Every language known; English first, as most reports are.</summary>
        public static readonly IReadOnlyList<NdrWording> All = new[] { English, French, German, Spanish };
    }
}
