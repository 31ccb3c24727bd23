using Microsoft.AspNetCore.Http;

namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// The site's own address for the absolute links of feeds (Atom, iCalendar), which caches and feed readers keep: never
/// an arbitrary <c>Host</c> header sent by whoever asked first.
/// </summary>
public static class PublicAddress
{
    /// <summary>
    /// <paramref name="configured"/> (<c>App:PublicBaseUrl</c>) when set; otherwise the request's own scheme, host and
    /// path base when its host is listed in <paramref name="allowedHosts"/> (<c>AllowedHosts</c>; the wildcard <c>*</c>
    /// lists nothing); otherwise <paramref name="fallback"/> (the server's listening address). No trailing slash.
    /// </summary>
    public static string Choose(string? configured, string? allowedHosts, string scheme, string host, string pathBase, string fallback)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim().TrimEnd('/');
        }

        return IsListed(host, allowedHosts) ? $"{scheme}://{host}{pathBase}" : fallback.TrimEnd('/');
    }

    /// <summary>Whether the host (with or without port) is named in the list: exactly, or under a <c>*.example.org</c> entry.</summary>
    public static bool IsListed(string host, string? allowedHosts)
    {
        var name = new HostString(host).Host;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var entry in (allowedHosts ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry == "*")
            {
                continue;
            }

            var matches = entry.StartsWith("*.", StringComparison.Ordinal)
                ? name.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(name, entry, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A configured <c>App:PublicBaseUrl</c> must be an absolute http or https address without query or fragment; throws
    /// with the setting's name otherwise.
    /// </summary>
    public static void Validate(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }

        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"App:PublicBaseUrl must be an absolute http(s) address such as https://deliberation.example.org, not '{configured}'.");
        }
    }
}
