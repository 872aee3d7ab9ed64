using System.Net.Security;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Tls;

/// <summary>
/// The certificate each TLS handshake presents, read again when its files change on disk, so that a
/// renewed certificate (certbot, cert-manager) reaches new connections without a restart; open
/// connections keep theirs. The files' write times and sizes are compared at most once per
/// <see cref="CheckInterval"/>, by the handshake that comes after it, so an idle server does no work.
/// Changed files that do not load (caught half-written, a key of another certificate) leave the
/// certificate in use and are logged once; the next change is tried again.
/// </summary>
internal sealed partial class ReloadingCertificate
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private readonly TlsOptions _tls;
    private readonly ILogger<ReloadingCertificate> _logger;
    private readonly Lock _checking = new();
    private SslStreamCertificateContext _current;
    private FileStamp[] _stamps;
    private long _nextCheck;

    /// <exception cref="TlsFileException">The files do not load (they did when the configuration was read).</exception>
    public ReloadingCertificate(TlsOptions tls, ILogger<ReloadingCertificate> logger)
    {
        _tls = tls;
        _logger = logger;
        _stamps = Stamps();
        _current = ServerCertificate.Load(tls);
        _nextCheck = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds;
        LogServing(_logger, _current.TargetCertificate.Subject, _current.TargetCertificate.NotAfter.ToUniversalTime(), tls.CertPath);
    }

    public SslStreamCertificateContext Current
    {
        get
        {
            // One handshake checks; the ones arriving meanwhile take the certificate in use.
            if (Environment.TickCount64 >= Volatile.Read(ref _nextCheck) && _checking.TryEnter())
            {
                try
                {
                    ReloadWhenChanged();
                }
                finally
                {
                    _checking.Exit();
                }
            }

            return Volatile.Read(ref _current);
        }
    }

    private void ReloadWhenChanged()
    {
        Volatile.Write(ref _nextCheck, Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds);
        var stamps = Stamps();
        if (stamps.SequenceEqual(_stamps))
        {
            return;
        }

        _stamps = stamps;
        try
        {
            var loaded = ServerCertificate.Load(_tls);
            Volatile.Write(ref _current, loaded);
            LogReloaded(_logger, loaded.TargetCertificate.Subject, loaded.TargetCertificate.NotAfter.ToUniversalTime(), _tls.CertPath);
        }
        catch (TlsFileException e)
        {
            LogReloadFailed(_logger, e.Message);
        }
    }

    private FileStamp[] Stamps() =>
        [.. new[] { _tls.CertPath, _tls.KeyPath, _tls.CaPath }.Where(p => p.Length > 0).Select(FileStamp.Of)];

    /// <summary>A file's write time and size (both default when it is missing); a replaced file changes them.</summary>
    private readonly record struct FileStamp(DateTime WrittenAt, long Length)
    {
        public static FileStamp Of(string path)
        {
            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(file.LastWriteTimeUtc, file.Length) : default;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS: serving the certificate {Subject} (valid until {NotAfter:u}) from {CertPath}")]
    private static partial void LogServing(ILogger logger, string subject, DateTime notAfter, string certPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS: the certificate files changed; new connections get {Subject} (valid until {NotAfter:u}) from {CertPath}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter, string certPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS: the certificate files changed but cannot be used, so the previous certificate stays in use: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
