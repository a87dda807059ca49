# Starts the fake tu-zi service as its own process and talks to its control endpoints.
Set-StrictMode -Version Latest

function Start-TuZiTestServer {
    [CmdletBinding()]
    param([string] $RepositoryRoot)

    $serverDll = Get-ChildItem -Path (Join-Path $RepositoryRoot 'tests/TuZiImages.TestServer/bin') -Recurse -Filter 'TuZiImages.TestServer.dll' -ErrorAction SilentlyContinue |
        Where-Object { Test-Path (Join-Path $_.DirectoryName 'TuZiImages.TestServer.runtimeconfig.json') } |
        Sort-Object LastWriteTimeUtc -Descending |
        Select-Object -First 1
    if (-not $serverDll) {
        throw "The test server is not built. Run 'dotnet build TuZiImages.sln' first."
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.Arguments = "`"$($serverDll.FullName)`" --port 0 --result-port 0 --exit-on-stdin-close"
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)

    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    $api = $null
    $results = $null
    while (-not $api) {
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait([Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)) -or $null -eq $line.Result) {
            $process.Kill()
            throw "The test server did not say where it listens within 60 seconds."
        }
        if ($line.Result -match '^TUZI_TEST_SERVER api=(\S+) results=(\S+)') {
            $api = $Matches[1]
            $results = $Matches[2]
        }
    }
    # Keep draining its output so the server never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()

    [pscustomobject]@{
        Process     = $process
        ApiUri      = $api.TrimEnd('/')
        ResultUri   = $results.TrimEnd('/')
    }
}

function Stop-TuZiTestServer {
    [CmdletBinding()]
    param($Server)
    if ($Server -and -not $Server.Process.HasExited) {
        # Closing its standard input asks it to stop; kill it if it does not.
        $Server.Process.StandardInput.Close()
        if (-not $Server.Process.WaitForExit(10000)) {
            $Server.Process.Kill()
        }
    }
}

function Reset-TuZiTestServer {
    param($Server)
    $null = Invoke-RestMethod -Method Post -Uri "$($Server.ApiUri)/_control/reset"
}

function Get-TuZiTestRequest {
    param($Server)
    # Invoke-RestMethod writes a JSON array as one object: assigning first keeps it one flat array.
    # It is written as one object too: assign it, or pipe it as (Get-TuZiTestRequest $s) | ..., for one $_ per request.
    $requests = Invoke-RestMethod -Uri "$($Server.ApiUri)/_control/requests"
    , @($requests)
}

function Get-TuZiTestDownload {
    param($Server)
    # One object, as Get-TuZiTestRequest writes it.
    $downloads = Invoke-RestMethod -Uri "$($Server.ApiUri)/_control/downloads"
    , @($downloads)
}

function Add-TuZiTestFault {
    param($Server, [hashtable] $Fault)
    $null = Invoke-RestMethod -Method Post -Uri "$($Server.ApiUri)/_control/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json -Compress)
}

# Waits until a hold of the server has been reached -Count times: the server answers then, so nothing sleeps here.
# The server's own bound (60 s) only turns a hang into a failure.
function Wait-TuZiTestHold {
    param($Server, [string] $Name, [int] $Count = 1)
    $null = Invoke-RestMethod -Uri "$($Server.ApiUri)/_control/holds/$([uri]::EscapeDataString($Name))/reached?count=$Count"
}

# Lets everything waiting at the hold go on.
function Open-TuZiTestHold {
    param($Server, [string] $Name)
    $null = Invoke-RestMethod -Method Post -Uri "$($Server.ApiUri)/_control/holds/$([uri]::EscapeDataString($Name))/release"
}

function Get-TuZiTestField {
    param($Request, [string] $Name)
    @($Request.fields | Where-Object name -eq $Name | ForEach-Object value)
}

Export-ModuleMember -Function Start-TuZiTestServer, Stop-TuZiTestServer, Reset-TuZiTestServer, Get-TuZiTestRequest, Get-TuZiTestDownload, Add-TuZiTestFault, Get-TuZiTestField, Wait-TuZiTestHold, Open-TuZiTestHold
