# Export-MailFlowReport: the lab probed, its failures as alerts, the repair plan, one HTML page; then that page in a real
# headless browser (Debian's chromium): its DOM, its chart, a hostile server reply, a screenshot.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:ProbeArgs = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("mfi-report-" + [guid]::NewGuid())
    New-Item -ItemType Directory $Work | Out-Null
    # What the lab's hostile server says after "421 4.3.2 " (tests/Lab/FaultSmtpServer.cs, Greet421Hostile).
    $script:HostileReply = "<img src=x onerror=alert(1)> `"busy`" & 'closing'"

    $script:Results = @(
        New-LabConnector 'To busy' 'busy.lab.test' CertificateValidation; New-LabConnector 'To refused' 'refused.lab.test' CertificateValidation
        New-LabConnector 'To expired' 'expired.lab.test' CertificateValidation; New-LabConnector 'To hostile' 'hostile.lab.test' CertificateValidation
        New-LabConnector 'To gone' 'ok.lab.test' CertificateValidation; New-LabConnector 'To expiring' 'expiring.lab.test' CertificateValidation
    ) | Test-ConnectorDelivery @ProbeArgs
    $script:Alerts = @($Results | Get-MailFlowAlert)
    $script:Plan = @($Alerts | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
    $script:Title = 'Mail flow <i>lab</i> report'
    $script:ReportPath = Join-Path $Work 'report.html'
    $script:Written = @($Results) + @($Alerts) + @($Plan) | Export-MailFlowReport -Path $ReportPath -Title $Title -PassThru
    $script:Html = Get-Content -Raw -LiteralPath $ReportPath

    function Get-Leftovers { @(Get-ChildItem -Force -LiteralPath $Work -Filter '.*.tmp') }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
    if ($script:Work) { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }
}

Describe 'Export-MailFlowReport' {
    It 'starts from a lab run with alerts, a hostile reply and a plan' {
        $Alerts.Count | Should -BeGreaterOrEqual 4
        ($Results | Where-Object Connector -eq 'To hostile').ServerResponse | Should -Be "421 4.3.2 $HostileReply"
        $Plan.Count | Should -BeGreaterThan 0
    }

    It 'writes one file, passes back its FileInfo, and leaves no temporary file' {
        $Written | Should -HaveCount 1
        $Written | Should -BeOfType ([System.IO.FileInfo])
        $Written.FullName | Should -Be $ReportPath
        $Written.Length | Should -BeGreaterThan 1000
        Get-Leftovers | Should -BeNullOrEmpty
        $Html | Should -Match '^<!DOCTYPE html>'
        $Html | Should -Match ([regex]::Escape('<meta http-equiv="Content-Security-Policy" content="default-src ''none''; style-src ''unsafe-inline''; img-src data:">'))
        $Html | Should -Not -Match '<script'
    }

    It 'takes the same items deserialized (Import-Clixml) and writes the same rows' {
        $xml = Join-Path $Work 'items.xml'
        @($Results) + @($Alerts) + @($Plan) | Export-Clixml $xml
        $p = Join-Path $Work 'from-clixml.html'
        Import-Clixml $xml | Export-MailFlowReport $p -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $again = Get-Content -Raw $p
        foreach ($kind in 'alert', 'result') {
            ([regex]::Matches($again, "<tr class=`"$kind ")).Count | Should -Be ([regex]::Matches($Html, "<tr class=`"$kind ")).Count
        }
        ([regex]::Matches($again, '<div class="repair"')).Count | Should -Be $Plan.Count
    }

    It 'gives UnsupportedReportInput for anything else, targeting the item, and goes on' {
        $p = Join-Path $Work 'mixed.html'
        $other = [pscustomobject]@{ Name = 'not ours' }
        $Alerts[0], 'a line of text', $other | Export-MailFlowReport $p -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 2
        $errs.FullyQualifiedErrorId | Select-Object -Unique | Should -Be 'UnsupportedReportInput,MailFlowIntel.Commands.ExportMailFlowReportCommand'
        $errs.CategoryInfo.Category | Select-Object -Unique | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'a line of text'
        $errs[1].TargetObject.Name | Should -Be 'not ours'
        ([regex]::Matches((Get-Content -Raw $p), '<tr class="alert ')).Count | Should -Be 1
    }

    It 'refuses an existing file with -NoClobber (ReportExists) and leaves it as it was' {
        $p = Join-Path $Work 'kept.html'
        Set-Content -LiteralPath $p -Value 'before'
        $err = { $Alerts | Export-MailFlowReport $p -NoClobber } | Should -Throw -ErrorId 'ReportExists,MailFlowIntel.Commands.ExportMailFlowReportCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-Content -Raw $p).Trim() | Should -Be 'before'
    }

    It 'replaces a read-only file only with -Force, and keeps it read-only' {
        $p = Join-Path $Work 'readonly.html'
        Set-Content -LiteralPath $p -Value 'before'
        (Get-Item -LiteralPath $p).IsReadOnly = $true
        { $Alerts | Export-MailFlowReport $p } | Should -Throw -ErrorId 'ReportReadOnly,MailFlowIntel.Commands.ExportMailFlowReportCommand'
        (Get-Content -Raw $p).Trim() | Should -Be 'before'
        $Alerts | Export-MailFlowReport $p -Force
        Get-Content -Raw $p | Should -Match '<tr class="alert '
        (Get-Item -LiteralPath $p).IsReadOnly | Should -BeTrue
        (Get-Item -LiteralPath $p).IsReadOnly = $false
    }

    It 'writes nothing under -WhatIf' {
        $p = Join-Path $Work 'whatif.html'
        $Alerts | Export-MailFlowReport $p -WhatIf
        Test-Path -LiteralPath $p | Should -BeFalse
    }

    It 'leaves no half report when the pipeline fails: the old file stays, nothing temporary is left' {
        $p = Join-Path $Work 'old.html'
        Set-Content -LiteralPath $p -Value 'the previous report'
        { $Alerts | ForEach-Object { $_; throw 'upstream failed' } | Export-MailFlowReport $p } | Should -Throw 'upstream failed'
        (Get-Content -Raw $p).Trim() | Should -Be 'the previous report'
        Get-Leftovers | Should -BeNullOrEmpty
    }

    It 'takes provider paths (a PowerShell drive), and -LiteralPath' {
        $null = New-PSDrive -Name MfiReport -PSProvider FileSystem -Root $Work
        try {
            $f = $Alerts | Export-MailFlowReport -Path 'MfiReport:\drive.html' -PassThru
            $f.FullName | Should -Be (Join-Path $Work 'drive.html')
        }
        finally { Remove-PSDrive MfiReport }
        $f = $Alerts | Export-MailFlowReport -LiteralPath (Join-Path $Work 'report[1].html') -PassThru
        $f.Name | Should -Be 'report[1].html'
        Test-Path -LiteralPath $f.FullName | Should -BeTrue
    }

    It 'refuses <Name>' -ForEach @(
        @{ Name = 'a path outside the file system'; Path = 'Env:\MfiReport'; Id = 'ReportPathNotFileSystem' }
        @{ Name = 'a folder'; Path = '.'; Id = 'ReportPathIsFolder' }
        @{ Name = 'a missing folder'; Path = './missing/report.html'; Id = 'ReportFolderNotFound' }
    ) {
        Push-Location $Work
        try { { $Alerts | Export-MailFlowReport -Path $Path } | Should -Throw -ErrorId "$Id,MailFlowIntel.Commands.ExportMailFlowReportCommand" }
        finally { Pop-Location }
    }

    It 'compares piped alerts with a baseline given as <Name>: New, Ongoing, and Resolved for a fault that is gone' -ForEach @(
        @{ Name = 'objects'; Kind = 'objects' }
        @{ Name = 'a Clixml path'; Kind = 'clixml' }
    ) {
        # Yesterday: 'To gone' was refused, 'To busy' busy and 'To elsewhere' refused; today 'To gone' is healthy (its result
        # says so) and 'To elsewhere' was not probed at all.
        $yesterday = @(@(New-LabConnector 'To gone' 'refused.lab.test' CertificateValidation; New-LabConnector 'To busy' 'busy.lab.test' CertificateValidation; New-LabConnector 'To elsewhere' 'refused.lab.test' CertificateValidation) |
            Test-ConnectorDelivery @ProbeArgs | Get-MailFlowAlert)
        $p = Join-Path $Work "baseline-$Kind.html"
        if ($Kind -eq 'objects') { @($Results) + @($Alerts) | Export-MailFlowReport $p -Baseline $yesterday }
        else {
            $xml = Join-Path $Work 'yesterday.xml'
            $yesterday | Export-Clixml $xml
            @($Results) + @($Alerts) | Export-MailFlowReport $p -BaselinePath $xml
        }
        $html = Get-Content -Raw $p
        $changes = [regex]::Matches($html, '<div class="group" data-connector="([^"]*)">(?:(?!<div class="group").)*?data-change="(\w+)"', 'Singleline') |
            ForEach-Object { "$($_.Groups[1].Value)|$($_.Groups[2].Value)" } | Sort-Object
        $changes | Should -Be @('To busy|Ongoing', 'To elsewhere|Unverified', 'To expired|New', 'To gone|Resolved', 'To hostile|New', 'To refused|New')
        $html | Should -Match '3 new since the baseline, 0 worse, 1 resolved, 1 not verified this run'
        # The caller's own alerts keep their Change.
        $Alerts.Change | Select-Object -Unique | Should -Be 'None'
    }

    It 'writes its fixed words in French under a French UI culture' {
        $p = Join-Path $Work 'fr.html'
        $thread = [System.Threading.Thread]::CurrentThread
        $ui = $thread.CurrentUICulture
        try {
            $thread.CurrentUICulture = 'fr-FR'
            $Alerts | Export-MailFlowReport $p
        }
        finally { $thread.CurrentUICulture = $ui }
        $fr = Get-Content -Raw $p
        $fr | Should -Match '<html lang="fr">'
        $fr | Should -Match 'Synthèse'
        $fr | Should -Match 'Gravité'
        $fr | Should -Not -Match '>Severity<'
    }
}

Describe 'The report in a real browser' {
    BeforeAll {
        $script:Chromium = (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
        $script:NoBrowser = if (-not $Chromium) { 'chromium is not installed: sudo apt-get install -y chromium' }

        # Outside CI a missing chromium skips with the install line; under CI=true it fails, as the Postfix tests do.
        function Assert-Browser {
            if (-not $NoBrowser) { return }
            if ($env:CI -eq 'true') { throw "Required under CI: $NoBrowser" }
            Set-ItResult -Skipped -Because $NoBrowser
        }

        # Headless, a fresh profile, no network: every host name resolves to nothing.
        function Invoke-Chromium([string[]] $Arguments) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($Chromium)
            $common = '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND',
                "--user-data-dir=$(Join-Path $Work ('chromium-' + [guid]::NewGuid()))"
            foreach ($a in @($common) + $Arguments) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($psi)
            $out = $process.StandardOutput.ReadToEndAsync()
            $err = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(90000)) { $process.Kill($true); throw 'chromium did not finish within 90 s' }
            if ($process.ExitCode -ne 0) { throw "chromium exited with $($process.ExitCode): $($err.Result)" }
            $out.Result
        }

        $script:ReportUri = [System.Uri]::new($ReportPath).AbsoluteUri
        if (-not $NoBrowser) { $script:Dom = Invoke-Chromium @('--dump-dom', $ReportUri) }

        if (-not ('MailFlowIntelTests.PngPixels' -as [type])) {
            Add-Type -TypeDefinition @'
namespace MailFlowIntelTests
{
    using System;
    using System.Collections.Generic;
    using System.IO;
    using System.IO.Compression;

    /// <summary>Decodes an 8-bit RGB or RGBA PNG (what chromium writes) far enough to count its pixels' colours.</summary>
    public static class PngPixels
    {
        public static int Width, Height, Colours;
        public static double NotBackground;

        public static void Read(string path)
        {
            byte[] png = File.ReadAllBytes(path);
            byte[] signature = { 137, 80, 78, 71, 13, 10, 26, 10 };
            for (int i = 0; i < 8; i++) if (png[i] != signature[i]) throw new InvalidDataException("not a PNG");
            var idat = new MemoryStream();
            int depth = 0, type = 0;
            for (int at = 8; at < png.Length; )
            {
                int length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
                string kind = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
                if (kind == "IHDR")
                {
                    Width = (png[at + 8] << 24) | (png[at + 9] << 16) | (png[at + 10] << 8) | png[at + 11];
                    Height = (png[at + 12] << 24) | (png[at + 13] << 16) | (png[at + 14] << 8) | png[at + 15];
                    depth = png[at + 16]; type = png[at + 17];
                }
                if (kind == "IDAT") idat.Write(png, at + 8, length);
                at += 12 + length;
            }
            if (depth != 8 || (type != 2 && type != 6)) throw new InvalidDataException("PNG depth " + depth + ", colour type " + type);
            int bpp = type == 6 ? 4 : 3, stride = Width * bpp;
            idat.Position = 0;
            var raw = new MemoryStream();
            using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
            byte[] data = raw.ToArray();
            if (data.Length != Height * (stride + 1)) throw new InvalidDataException("PNG data of " + data.Length + " bytes");
            var prev = new byte[stride];
            var line = new byte[stride];
            var colours = new HashSet<int>();
            long differing = 0;
            int background = -1;
            for (int y = 0; y < Height; y++)
            {
                int filter = data[y * (stride + 1)];
                for (int x = 0; x < stride; x++)
                {
                    int v = data[y * (stride + 1) + 1 + x];
                    int a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
                    switch (filter)
                    {
                        case 0: break;
                        case 1: v += a; break;
                        case 2: v += b; break;
                        case 3: v += (a + b) / 2; break;
                        case 4:
                            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                            v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                            break;
                        default: throw new InvalidDataException("PNG filter " + filter);
                    }
                    line[x] = (byte)v;
                }
                for (int x = 0; x < stride; x += bpp)
                {
                    int rgb = (line[x] << 16) | (line[x + 1] << 8) | line[x + 2];
                    if (background < 0) background = rgb;
                    if (rgb != background) differing++;
                    if (colours.Count < 100000) colours.Add(rgb);
                }
                var t = prev; prev = line; line = t;
            }
            Colours = colours.Count;
            NotBackground = (double)differing / ((long)Width * Height);
        }
    }
}
'@
        }
    }

    It 'renders one row per alert, with its code and Reason' {
        Assert-Browser
        $rows = [regex]::Matches($Dom, '(?s)<tr class="alert [^"]*"[^>]*>.*?</tr>') | ForEach-Object Value
        $rows | Should -HaveCount $Alerts.Count
        foreach ($a in $Alerts) {
            $code = [System.Net.WebUtility]::HtmlEncode($a.Code)
            $mine = @($rows | Where-Object { $_.Contains("data-code=`"$code`"") -and $_.Contains(">$($a.Reason)</td>") })
            $mine.Count | Should -Be @($Alerts | Where-Object { $_.Code -eq $a.Code -and $_.Reason -eq $a.Reason }).Count -Because "$($a.Code) $($a.Reason)"
        }
    }

    It 'draws one bar per code in the SVG chart' {
        Assert-Browser
        $bars = [regex]::Matches($Dom, '<rect class="bar" data-code="([^"]*)"') | ForEach-Object { $_.Groups[1].Value }
        $codes = @($Alerts.Code | Sort-Object -Unique)
        $bars | Should -HaveCount $codes.Count
        @($bars | Sort-Object) | Should -Be $codes
        # The results carry certificate dates: the time line is there too.
        $Dom | Should -Match '<svg class="timeline"'
    }

    It 'shows the crafted server reply as text, and it adds no element' {
        Assert-Browser
        # The DOM as chromium built it: text nodes serialize < > & as entities, attributes serialize quotes.
        $Dom | Should -Match ([regex]::Escape('&lt;img src=x onerror=alert(1)&gt; "busy" &amp; ''closing'''))
        $Dom | Should -Not -Match '<img'
        $Dom | Should -Not -Match '<script'
        $Dom | Should -Not -Match '<[^<>]*\sonerror='
        # Every element in the page is one the report writes.
        $ours = 'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'h4', 'section', 'div', 'p', 'span', 'table', 'thead',
            'tbody', 'tr', 'th', 'td', 'br', 'small', 'strong', 'b', 'code', 'pre', 'figure', 'figcaption', 'svg', 'rect', 'text', 'line', 'circle'
        $tags = [regex]::Matches($Dom, '<([a-zA-Z][a-zA-Z0-9]*)') | ForEach-Object { $_.Groups[1].Value.ToLowerInvariant() } | Sort-Object -Unique
        $tags | Where-Object { $_ -notin $ours } | Should -BeNullOrEmpty
        # The title given with markup is text too.
        $Dom | Should -Match ([regex]::Escape('<h1>Mail flow &lt;i&gt;lab&lt;/i&gt; report</h1>'))
    }

    It 'takes a screenshot that is not blank' {
        Assert-Browser
        $png = Join-Path $Work 'report.png'
        $null = Invoke-Chromium @("--screenshot=$png", '--window-size=1200,2000', '--hide-scrollbars', $ReportUri)
        Test-Path -LiteralPath $png | Should -BeTrue
        [MailFlowIntelTests.PngPixels]::Read($png)
        [MailFlowIntelTests.PngPixels]::Width | Should -Be 1200
        [MailFlowIntelTests.PngPixels]::Height | Should -Be 2000
        # Text, badges and bars: many colours, and a good share of the page is not the background.
        [MailFlowIntelTests.PngPixels]::Colours | Should -BeGreaterThan 50
        [MailFlowIntelTests.PngPixels]::NotBackground | Should -BeGreaterThan 0.03
    }
}
