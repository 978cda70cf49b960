package caravan.it;

import caravan.devstack.Engine;

/** The engine matrix on Elasticsearch 9: see {@link EngineMatrix}. */
class Elasticsearch9MatrixIT extends EngineMatrix {
    @Override
    Engine engine() {
        return Engine.ELASTICSEARCH_9;
    }
}
