namespace SoketiOrleans.Apps;

/// <summary>Finds apps for sockets (by key) and for the HTTP API (by id): soketi's app-manager seam.</summary>
public interface IAppManager
{
    ValueTask<App?> FindByKey(string key);

    ValueTask<App?> FindById(string id);
}
