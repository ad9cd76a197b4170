using System.Globalization;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>The languages the module writes its Titles, Causes, Fixes, steps and warnings in.</summary>
    public enum Language { English, French }

    public static class Languages
    {
        /// <summary>French for any fr-* UI culture, English for every other (read once per call, on the pipeline thread).</summary>
        public static Language From(CultureInfo culture) =>
            culture != null && string.Equals(culture.TwoLetterISOLanguageName, "fr", System.StringComparison.OrdinalIgnoreCase)
                ? Language.French : Language.English;
    }
}
