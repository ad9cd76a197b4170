using System;
using System.Text;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// One text in English and French, with {Placeholders} that <see cref="Render"/> fills from the facts of the case
    /// ({Host}, {Address}, {Reply}, {NotAfter}...). A fact that is not known renders as a neutral phrase of the language,
    /// so a template never prints an empty gap. {^Name} gives the value with a capital first letter, for a sentence that
    /// begins with it ("{^Sender} could not..." reads "This computer could not...").
    /// </summary>
    public sealed class Phrase
    {
        public Phrase(string english, string french)
        {
            English = english ?? throw new ArgumentNullException(nameof(english));
            French = french ?? throw new ArgumentNullException(nameof(french));
        }

        public string English { get; }
        public string French { get; }

        public string In(Language language) => language == Language.French ? French : English;

        public string Render(Language language, CaseFacts facts)
        {
            string template = In(language);
            if (template.IndexOf('{') < 0) return template;
            var sb = new StringBuilder(template.Length + 64);
            int i = 0;
            while (i < template.Length)
            {
                int open = template.IndexOf('{', i);
                int close = open < 0 ? -1 : template.IndexOf('}', open + 1);
                if (open < 0 || close < 0) { sb.Append(template, i, template.Length - i); break; }
                sb.Append(template, i, open - i);
                string name = template.Substring(open + 1, close - open - 1);
                bool capital = name.StartsWith("^", StringComparison.Ordinal);
                string value = (facts ?? CaseFacts.None).Get(capital ? name.Substring(1) : name, language);
                sb.Append(capital && value.Length > 0 ? char.ToUpperInvariant(value[0]) + value.Substring(1) : value);
                i = close + 1;
            }
            return sb.ToString();
        }

        public override string ToString() => English;
    }
}
