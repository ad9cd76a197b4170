using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using MimeKit.Text;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>
    /// The text of an HTML report as a browser lays it out, read with MimeKit's own HTML tokenizer: block elements become
    /// line breaks, cells are separated by a space, runs of white space collapse to one (except inside &lt;pre&gt;, where
    /// the original headers keep their folding), script, style, head and title are dropped, entities are decoded.
    /// One pass, linear in the input.
    /// </summary>
    internal static class HtmlToText
    {
        static readonly HashSet<string> BreakTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "br", "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "pre", "body" };
        static readonly HashSet<string> CellTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "td", "th" };
        static readonly HashSet<string> HiddenTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "title" };

        public static string Convert(string html)
        {
            var sb = new StringBuilder(html.Length);
            var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
            string hiddenUntil = null;     // the hidden element being skipped, until its end tag
            int pre = 0;
            while (tokenizer.ReadNextToken(out HtmlToken token))
            {
                switch (token)
                {
                    case HtmlTagToken tag:
                        if (hiddenUntil != null)
                        {
                            if (tag.IsEndTag && tag.Name.Equals(hiddenUntil, StringComparison.OrdinalIgnoreCase)) hiddenUntil = null;
                            break;
                        }
                        if (!tag.IsEndTag && !tag.IsEmptyElement && HiddenTags.Contains(tag.Name))
                        {
                            hiddenUntil = tag.Name;
                            break;
                        }
                        if (tag.Name.Equals("pre", StringComparison.OrdinalIgnoreCase)) pre = tag.IsEndTag ? Math.Max(0, pre - 1) : pre + 1;
                        if (BreakTags.Contains(tag.Name))
                        {
                            if (sb.Length > 0 && sb[sb.Length - 1] == ' ') sb.Length--;
                            sb.Append('\n');
                        }
                        else if (CellTags.Contains(tag.Name)) AppendSpace(sb);
                        break;
                    case HtmlDataToken data when token.Kind == HtmlTokenKind.Data || token.Kind == HtmlTokenKind.CData:
                        if (hiddenUntil == null) AppendText(sb, data.Data, pre > 0);
                        break;
                    // Comments, doctype and script data carry nothing a reader sees.
                }
            }
            return sb.ToString();
        }

        static void AppendText(StringBuilder sb, string text, bool preformatted)
        {
            foreach (char c in text)
            {
                if (c == '\r') continue;
                if (preformatted) sb.Append(c);
                else if (c == ' ' || c == '\t' || c == '\n' || c == '\f') AppendSpace(sb);   // as a browser shows it
                else sb.Append(c);
            }
        }

        static void AppendSpace(StringBuilder sb)
        {
            if (sb.Length > 0 && sb[sb.Length - 1] != ' ' && sb[sb.Length - 1] != '\n') sb.Append(' ');
        }
    }
}
