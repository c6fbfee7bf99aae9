using System.IO.Compression;
using System.Security.Cryptography;
using PyContainer.Diagnostics;
using PyContainer.Python.Lock;

namespace PyContainer.Python.Wheels;

/// <summary>
/// Chooses, downloads and verifies the wheel of each locked package for the target image: the best tag for the
/// target (pip's order), among the wheels a pylock.toml entry names or else those the indexes list for the locked
/// version; its sha256 must be one the lock allows. Downloads go to &lt;cache&gt;/wheels/&lt;sha256&gt;/&lt;file&gt;,
/// so a file is fetched once for every build on the machine. sdists are never built.
/// </summary>
public static class WheelResolver
{
    private const int Parallel = 4;

    public static async Task<IReadOnlyList<ResolvedWheel>> ResolveAsync(IReadOnlyList<LockedPackage> packages, IReadOnlyList<string> indexUrls,
        TargetPlatform target, string cacheDirectory, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentNullException.ThrowIfNull(indexUrls);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(log);
        string folder = Path.Combine(cacheDirectory, "wheels");
        Directory.CreateDirectory(folder);
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All }) { Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("pycontainer");
        var indexes = indexUrls.Select((url, i) => new SimpleIndex(http, url, i)).ToList();
        var tags = target.Tags();
        var context = new Resolution(http, indexes, tags, folder, log);

        using var gate = new SemaphoreSlim(Parallel);
        var choices = await Task.WhenAll(packages.Select(async package =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await ChooseAsync(package, context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        var missing = choices.Where(c => c.File is null).Select(c => c.Missing!).ToList();
        if (missing.Count > 0)
        {
            throw Errors.Create(Errors.NoCompatibleWheel, target.Describe(), string.Join("; ", missing));
        }

        var resolved = await Task.WhenAll(choices.Select(async choice =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await FetchAsync(choice.Package, choice.File!, context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return resolved;
    }

    private sealed record Resolution(HttpClient Http, List<SimpleIndex> Indexes, IReadOnlyList<string> Tags, string Folder, IBuildLog Log);

    private sealed record Choice(LockedPackage Package, IndexFile? File, string? Missing);

    private static async Task<Choice> ChooseAsync(LockedPackage package, Resolution context, CancellationToken cancellationToken)
    {
        List<IndexFile> files = await CandidatesAsync(package, context, cancellationToken).ConfigureAwait(false);
        var allowed = new HashSet<string>(package.Sha256Hashes, StringComparer.OrdinalIgnoreCase);
        var wheels = files
            .Select(f => (File: f, Name: WheelFileName.TryParse(f.FileName)))
            .Where(w => w.Name is not null && w.Name.Is(package.Name, package.Version))
            .Select(w => (w.File, w.Name, Rank: w.Name!.Rank(context.Tags)))
            .ToList();
        var compatible = wheels.Where(w => w.Rank is not null)
            .OrderBy(w => w.Rank).ThenByDescending(w => BuildNumber(w.Name!.Build)).ThenBy(w => w.File.IndexOrder)
            .ToList();
        // A file whose listed hash the lock does not allow is not a candidate (pip's --require-hashes does the same).
        var allowedFiles = compatible.Where(w => w.File.Sha256 is null || allowed.Contains(w.File.Sha256)).ToList();
        if (allowedFiles.Count > 0)
        {
            return new Choice(package, allowedFiles[0].File, null);
        }

        if (compatible.Count > 0)
        {
            throw Errors.Create(Errors.WheelContentInvalid, compatible[0].File.FileName,
                $"its sha256 on the index ({compatible[0].File.Sha256}) is none of those {package.Origin ?? "the lock"} allows for {package.Name}=={package.Version}");
        }

        var exist = (package.Wheels?.Select(w => w.FileName) ?? files.Select(f => f.FileName)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string what = exist.Count > 0 ? $"only {string.Join(", ", exist)}"
            : package.Wheels is not null ? $"{package.Origin ?? "the lock"} names no wheel, only an sdist"
            : "no file for this version on the index";
        return new Choice(package, null, $"{package.Name}=={package.Version} ({what})");
    }

    private static async Task<List<IndexFile>> CandidatesAsync(LockedPackage package, Resolution context, CancellationToken cancellationToken)
    {
        if (package.Wheels is not { } named)
        {
            return await ListAsync(package, context.Indexes, cancellationToken).ConfigureAwait(false);
        }

        // A pylock.toml entry: only its wheels. The build's indexes are asked first (a mirror or a private index
        // the build is configured for), then the wheel's own URL or path, then the index the entry names.
        List<IndexFile> listed = named.Count > 0 ? await ListAsync(package, context.Indexes, cancellationToken).ConfigureAwait(false) : [];
        List<IndexFile>? own = null;
        var files = new List<IndexFile>();
        foreach (LockedWheel wheel in named)
        {
            Uri? url = wheel.LocalPath is { } path ? new Uri(path)
                : listed.FirstOrDefault(f => f.FileName == wheel.FileName && (f.Sha256 is null || f.Sha256 == wheel.Sha256))?.Url
                ?? (wheel.Url is { } u && Uri.TryCreate(u, UriKind.Absolute, out Uri? absolute) ? absolute : null);
            if (url is null && package.Index is { Length: > 0 } index)
            {
                own ??= await new SimpleIndex(context.Http, index, -1).FilesAsync(package.Name, cancellationToken).ConfigureAwait(false);
                url = own.FirstOrDefault(f => f.FileName == wheel.FileName)?.Url;
            }

            if (url is null && WheelFileName.TryParse(wheel.FileName)?.Rank(context.Tags) is not null)
            {
                // A wheel the target could use but nothing serves: say so rather than choose a worse one.
                throw Errors.Create(Errors.PackageIndexFailed, string.Join(", ", context.Indexes.Select(i => i.Display).Append(package.Index ?? "").Where(i => i.Length > 0)),
                    package.Name, $"{package.Origin ?? "the lock"} names {wheel.FileName} without a URL or path, and no index lists it");
            }

            if (url is not null)
            {
                files.Add(new IndexFile(wheel.FileName, url, wheel.Sha256, 0));
            }
        }

        return files;
    }

    private static async Task<List<IndexFile>> ListAsync(LockedPackage package, List<SimpleIndex> indexes, CancellationToken cancellationToken)
    {
        var files = new List<IndexFile>();
        foreach (SimpleIndex index in indexes)
        {
            files.AddRange(await index.FilesAsync(package.Name, cancellationToken).ConfigureAwait(false));
        }

        return files;
    }

    private static async Task<ResolvedWheel> FetchAsync(LockedPackage package, IndexFile file, Resolution context, CancellationToken cancellationToken)
    {
        string? path = null;
        string? sha256 = null;
        // A file the lock allows that an earlier build fetched: no download, only a check that it is intact.
        foreach (string hash in package.Sha256Hashes.Where(h => file.Sha256 is null || string.Equals(h, file.Sha256, StringComparison.OrdinalIgnoreCase)))
        {
            string cached = Path.Combine(context.Folder, hash, file.FileName);
            if (File.Exists(cached) && string.Equals(await HashFileAsync(cached, cancellationToken).ConfigureAwait(false), hash, StringComparison.OrdinalIgnoreCase))
            {
                (path, sha256) = (cached, hash);
                context.Log.Detail($"  {file.FileName} (cached)");
                break;
            }
        }

        if (path is null && file.Url.IsFile)
        {
            (path, sha256) = (file.Url.LocalPath, await HashFileAsync(file.Url.LocalPath, cancellationToken).ConfigureAwait(false));
        }
        else if (path is null)
        {
            SimpleIndex index = context.Indexes.FirstOrDefault(i => i.Order == file.IndexOrder) ?? context.Indexes.FirstOrDefault()
                ?? new SimpleIndex(context.Http, file.Url.GetLeftPart(UriPartial.Authority), 0);
            string temporary = Path.Combine(context.Folder, $".{Guid.NewGuid():N}.part");
            try
            {
                sha256 = await index.DownloadAsync(file, package.Name, temporary, cancellationToken).ConfigureAwait(false);
                path = Path.Combine(context.Folder, sha256, file.FileName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Move(temporary, path, overwrite: true);
                context.Log.Info($"  Downloaded {file.FileName}");
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        if (!package.Sha256Hashes.Contains(sha256!, StringComparer.OrdinalIgnoreCase))
        {
            throw Errors.Create(Errors.WheelContentInvalid, file.FileName,
                $"its sha256 is {sha256}, none of those {package.Origin ?? "the lock"} allows for {package.Name}=={package.Version} ({string.Join(", ", package.Sha256Hashes)})");
        }

        return new ResolvedWheel(package.Name, package.Version, file.FileName, path!, IsPure(path!, file.FileName)) { Sha256 = sha256 };
    }

    /// <summary>Root-Is-Purelib of the WHEEL file, or, if that cannot be read, whether every tag is py*-none-any.</summary>
    private static bool IsPure(string path, string fileName)
    {
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            ZipArchiveEntry? wheel = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".dist-info/WHEEL", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1);
            if (wheel is not null)
            {
                using var reader = new StreamReader(wheel.Open());
                string text = reader.ReadToEnd();
                return text.Contains("Root-Is-Purelib: true", StringComparison.OrdinalIgnoreCase)
                    && WheelFileName.TryParse(fileName)?.Tags.All(t => t.EndsWith("-none-any", StringComparison.Ordinal)) != false;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The installer reports a damaged wheel with the reason; here the tags decide.
        }

        return WheelFileName.TryParse(fileName)?.Tags.All(t => t.EndsWith("-none-any", StringComparison.Ordinal)) == true;
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
        }
    }

    private static int BuildNumber(string? build) =>
        build is not null && int.TryParse(new string(build.TakeWhile(char.IsAsciiDigit).ToArray()), out int n) ? n : -1;
}
