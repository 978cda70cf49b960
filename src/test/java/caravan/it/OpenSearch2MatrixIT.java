package caravan.it;

import caravan.devstack.Engine;

/** The engine matrix on OpenSearch 2: see {@link EngineMatrix}. */
class OpenSearch2MatrixIT extends EngineMatrix {
    @Override
    Engine engine() {
        return Engine.OPENSEARCH_2;
    }
}
