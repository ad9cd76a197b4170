<#
.SYNOPSIS
    Writes the Bench's generated message trace report: DEFER rows over 50,000 messages (fewer when there are fewer
    rows), three codes over three connectors. 1,000,000 rows is about 200 MB. Skipped when the file is already there.
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [int] $Rows = 1000000
)
if (Test-Path $Path) { return }
$w = [System.IO.StreamWriter]::new($Path)
try {
    $w.WriteLine('date_time_utc,event_id,message_id,recipient_address,connector_id,recipient_status')
    $reasons = @(
        '"Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]"',
        '"Reason: [{LED=450 4.4.315 Connection timed out [LastAttemptedServerName=mx.fabrikam.com] [LastAttemptedIP=198.51.100.7:25]}]"',
        '"Reason: [{LED=450 4.7.320 Certificate validation failed [Message=SubjectMismatch] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]"')
    for ($i = 0; $i -lt $Rows; $i++) {
        $m = $i % 50000
        $time = '2026-11-27T{0:00}:{1:00}:00Z' -f ([math]::Floor($i / 60000) % 24), ([math]::Floor($i / 1000) % 60)
        $w.WriteLine("$time,DEFER,<m$m@contoso.com>,user$($m % 5000)@contoso.com,Outbound $($m % 3),$($reasons[[math]::Floor($m / 3) % 3])")
    }
}
finally { $w.Dispose() }
