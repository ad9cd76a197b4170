using System;
using System.IO;
using System.Text.Json;

namespace MailFlowIntel.Lab
{
    public static class Program
    {
        /// <summary>No argument: the in-process lab (demo, Pester). "postfix": a private Postfix instance (bench).</summary>
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "postfix") return RunPostfix();
            return DemoLab.Run(args);
        }

        static int RunPostfix()
        {
            string dir = Path.Combine(Path.GetTempPath(), "mfi-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            var certs = new LabCertificates(dir);
            var (cert, key) = LabCertificates.WritePem(certs.Valid, dir, "mx");
            using (PostfixInstance postfix = PostfixInstance.Start(cert, key))
            {
                Console.WriteLine("READY " + JsonSerializer.Serialize(new { postfix.Port, CertificateAuthority = certs.CaPemPath }));
                Console.Out.Flush();
                string line;
                while ((line = Console.ReadLine()) != null && line.Trim() != "stop") { }
            }
            try { Directory.Delete(dir, true); } catch (IOException) { }
            return 0;
        }
    }
}
